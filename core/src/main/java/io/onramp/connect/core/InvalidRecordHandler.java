package io.onramp.connect.core;

import io.onramp.connect.core.contract.Violation;
import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.core.metrics.MetricSet;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.slf4j.Logger;

/**
 * The {@value #ON_INVALID} policy for a record that breaks its contract or cannot be read: fail the task, drop the
 * record (counted, logged at WARN), or re-route it to {@code <topic><suffix>} with the reason in headers.
 * Re-routing only changes the topic (and keeps a source record's offset), so it works for source connectors,
 * which have no dead-letter queue. The one copy of the policy: the transforms (ContractValidate, SchemaProject,
 * OutboxRouter) and the outbox source use it.
 */
public final class InvalidRecordHandler {

    public static final String ON_INVALID = "on.invalid";
    public static final String QUARANTINE_SUFFIX = "quarantine.topic.suffix";
    public static final String DEFAULT_SUFFIX = QuarantineHeaders.DEFAULT_TOPIC_SUFFIX;

    public static final String HEADER_REASON = QuarantineHeaders.REASON;
    public static final String HEADER_RULE = QuarantineHeaders.RULE;
    public static final String HEADER_FIELD = QuarantineHeaders.FIELD;
    public static final String HEADER_SOURCE_TOPIC = QuarantineHeaders.SOURCE_TOPIC;

    enum Policy { FAIL, DROP, QUARANTINE }

    private final Policy policy;
    private final String suffix;
    private final Logger log;
    private final String action;
    private final Counter dropped;
    private final Counter quarantined;

    /**
     * @param action what failed, for messages: "breaks contract sales.orders v1"
     * @param metrics where the RecordsDropped and RecordsQuarantined counters are defined
     */
    public InvalidRecordHandler(String policy, String suffix, Logger log, String action, MetricSet metrics) {
        this(policy, suffix, log, action, metrics.counter("RecordsDropped", "Records dropped under on.invalid=drop"),
                metrics.counter("RecordsQuarantined", "Records sent to the quarantine topic under on.invalid=quarantine"));
    }

    /** With counters kept elsewhere (a connector's own metrics bean). */
    public InvalidRecordHandler(String policy, String suffix, Logger log, String action, Counter dropped, Counter quarantined) {
        this.dropped = dropped;
        this.quarantined = quarantined;
        this.policy = Policy.valueOf(policy.toUpperCase(Locale.ROOT));
        this.suffix = suffix;
        this.log = log;
        this.action = action;
    }

    public static ConfigDef define(ConfigDef def, String group, String what) {
        return def
                .define(ON_INVALID, Type.STRING, "fail", ConfigDef.CaseInsensitiveValidString.in("fail", "drop", "quarantine"),
                        Importance.HIGH, "What to do with a record that " + what + ": 'fail' stops the task with the"
                                + " reason (its offset is not committed, so nothing is lost), 'drop' discards it (counted"
                                + " and logged at WARN with the reason, never the data), 'quarantine' sends it unchanged to"
                                + " <topic>" + DEFAULT_SUFFIX + " with the headers " + HEADER_REASON + ", " + HEADER_RULE
                                + ", " + HEADER_FIELD + " and " + HEADER_SOURCE_TOPIC + ".", group, 1, Width.SHORT, "On invalid")
                .define(QUARANTINE_SUFFIX, Type.STRING, DEFAULT_SUFFIX, new ConfigDef.NonEmptyString(), Importance.LOW,
                        "Appended to the record's topic to name its quarantine topic.", group, 2, Width.SHORT,
                        "Quarantine suffix");
    }

    /** The record to pass on for an invalid {@code record}: null when dropped; throws when the policy is fail. */
    public <R extends ConnectRecord<R>> R handle(R record, Violation violation) {
        return handle(record, violation, null);
    }

    /**
     * @param where where the record came from, for messages (a file and line, a table and position), or null; never
     *              a value of the record
     */
    public <R extends ConnectRecord<R>> R handle(R record, Violation violation, String where) {
        String at = where == null ? "" : " (" + where + ")";
        return switch (policy) {
            case FAIL -> throw new DataException("A record for topic '" + record.topic() + "'" + at + " " + action
                    + " (rule " + violation.rule() + "): " + violation.reason());
            case DROP -> {
                dropped.increment();
                long n = dropped.get();
                log.warn("Dropped a record for topic '{}'{} that {} (rule {}, {} dropped so far): {}",
                        record.topic(), at, action, violation.rule(), n, violation.reason());
                yield null;
            }
            case QUARANTINE -> {
                quarantined.increment();
                Headers headers = record.headers().duplicate()
                        .addString(HEADER_REASON, violation.reason())
                        .addString(HEADER_RULE, violation.rule())
                        .addString(HEADER_FIELD, violation.field())
                        .addString(HEADER_SOURCE_TOPIC, record.topic());
                log.debug("Quarantining a record for topic '{}': {}", record.topic(), violation.reason());
                // Partition left to the producer: the quarantine topic need not have the source topic's partitions.
                yield record.newRecord(record.topic() + suffix, null, record.keySchema(), record.key(),
                        record.valueSchema(), record.value(), record.timestamp(), headers);
            }
        };
    }

    public long dropped() {
        return dropped.get();
    }

    public long quarantined() {
        return quarantined.get();
    }
}
