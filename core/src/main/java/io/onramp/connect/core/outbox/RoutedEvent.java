package io.onramp.connect.core.outbox;

import io.onramp.connect.core.contract.Violation;
import java.util.List;
import org.apache.kafka.connect.data.Schema;

/**
 * What an outbox row becomes: the parts of the Kafka record the caller (the {@code OutboxRouter} transform, the
 * outbox source task) builds with its own record type.
 *
 * <p>When {@link #violation()} is not null the payload could not be read (not JSON) or breaks the contract; the
 * value is then the payload as it was in the row (its text), {@code valueSchema} an optional string, and the
 * caller applies its fail / drop / quarantine policy to it. The reason never holds the payload's values.
 *
 * @param topic       the routed topic
 * @param partition   from a {@code partition} additional field, else null (the producer's partitioner decides)
 * @param timestamp   epoch milliseconds: from {@code table.field.event.timestamp}, else the caller's fallback
 * @param eventId     the event id (also the first header), as read from the row
 * @param headers     the event id header first ({@value OutboxRouting#EVENT_ID_HEADER}), then additional fields
 *                    placed in headers, in configuration order
 */
public record RoutedEvent(String topic, Integer partition, Schema keySchema, Object key, Schema valueSchema,
                          Object value, Long timestamp, Object eventId, List<EventHeader> headers,
                          Violation violation) {

    /** Whether the value is a tombstone (an empty payload with {@code route.tombstone.on.empty.payload}). */
    public boolean isTombstone() {
        return value == null;
    }
}
