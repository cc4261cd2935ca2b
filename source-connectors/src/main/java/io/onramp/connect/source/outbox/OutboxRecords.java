package io.onramp.connect.source.outbox;

import io.onramp.connect.core.InvalidRecordHandler;
import io.onramp.connect.core.outbox.EventHeader;
import io.onramp.connect.core.outbox.OutboxRouting;
import io.onramp.connect.core.outbox.OutboxRow;
import io.onramp.connect.core.outbox.RoutedEvent;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns outbox rows into source records through the shared routing core ({@link OutboxRouting}: topic, key =
 * aggregate id, event id header, payload expansion, additional columns), and applies {@code on.invalid} to a row
 * whose payload cannot be read. Each record carries the row's position as its offset.
 */
final class OutboxRecords {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRecords.class);

    private final OutboxRouting routing;
    private final Map<String, ?> partition;
    private final String tableName;
    private final InvalidRecordHandler invalid;

    /**
     * @param onInvalid        {@code on.invalid}: fail, drop or quarantine
     * @param quarantineSuffix appended to the event's topic to name its quarantine topic
     */
    OutboxRecords(OutboxRouting routing, Map<String, ?> partition, String tableName, String onInvalid,
                  String quarantineSuffix, OutboxSourceMetrics metrics) {
        this.routing = routing;
        this.partition = partition;
        this.tableName = tableName;
        this.invalid = new InvalidRecordHandler(onInvalid, quarantineSuffix, LOG, "has an invalid payload",
                metrics.invalidDropped, metrics.invalidQuarantined);
    }

    /** The record for one row, or null when the row is dropped as invalid. */
    SourceRecord toRecord(OutboxEvent event, long readTimeMs) {
        RoutedEvent routed;
        try {
            routed = routing.route(OutboxRow.of(event.columns()), readTimeMs);
        } catch (DataException e) {
            throw new DataException("Outbox table " + tableName + ", event at " + event.position() + ": " + e.getMessage(), e);
        }
        var headers = new ConnectHeaders();
        for (EventHeader header : routed.headers()) {
            headers.add(header.name(), header.value(), header.schema());
        }
        var record = new SourceRecord(partition, event.position().toOffset(), routed.topic(), routed.partition(),
                routed.keySchema(), routed.key(), routed.valueSchema(), routed.value(), routed.timestamp(), headers);
        return routed.violation() == null ? record
                : invalid.handle(record, routed.violation(), "outbox table " + tableName + ", event at " + event.position());
    }
}
