package io.onramp.connect.source.outbox;

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

    static final String HEADER_REASON = "onramp.quarantine.reason";
    static final String HEADER_RULE = "onramp.quarantine.rule";
    static final String HEADER_FIELD = "onramp.quarantine.field";
    static final String HEADER_SOURCE_TOPIC = "onramp.quarantine.source.topic";

    private final OutboxRouting routing;
    private final Map<String, ?> partition;
    private final String tableName;
    private final OutboxSourceConfig.OnInvalid onInvalid;
    private final String quarantineSuffix;
    private final OutboxSourceMetrics metrics;

    OutboxRecords(OutboxRouting routing, Map<String, ?> partition, String tableName, OutboxSourceConfig.OnInvalid onInvalid,
                  String quarantineSuffix, OutboxSourceMetrics metrics) {
        this.routing = routing;
        this.partition = partition;
        this.tableName = tableName;
        this.onInvalid = onInvalid;
        this.quarantineSuffix = quarantineSuffix;
        this.metrics = metrics;
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
        String topic = routed.topic();
        Integer kafkaPartition = routed.partition();
        if (routed.violation() != null) {
            var violation = routed.violation();
            switch (onInvalid) {
                case FAIL -> throw new DataException("Outbox table " + tableName + ", event at " + event.position()
                        + " for topic '" + topic + "' has an invalid payload (rule " + violation.rule() + "): " + violation.reason());
                case DROP -> {
                    metrics.invalidDropped.incrementAndGet();
                    LOG.warn("Dropped the outbox event at {} of table {} for topic '{}': invalid payload (rule {}): {}",
                            event.position(), tableName, topic, violation.rule(), violation.reason());
                    return null;
                }
                case QUARANTINE -> {
                    metrics.invalidQuarantined.incrementAndGet();
                    headers.addString(HEADER_REASON, violation.reason()).addString(HEADER_RULE, violation.rule())
                            .addString(HEADER_FIELD, violation.field()).addString(HEADER_SOURCE_TOPIC, topic);
                    topic = topic + quarantineSuffix;
                    kafkaPartition = null;
                }
            }
        }
        return new SourceRecord(partition, event.position().toOffset(), topic, kafkaPartition, routed.keySchema(),
                routed.key(), routed.valueSchema(), routed.value(), routed.timestamp(), headers);
    }
}
