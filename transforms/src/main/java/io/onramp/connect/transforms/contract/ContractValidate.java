package io.onramp.connect.transforms.contract;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.core.contract.RecordValidator;
import io.onramp.connect.core.contract.Violation;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks each record value against its data-product contract. See {@link #OVERVIEW_DOC}. */
public class ContractValidate<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    public static final String OVERVIEW_DOC = "Checks every record value (Struct or schemaless Map) against the"
            + " product's contract: Avro types, missing fields, and the quality rules of each field (required, min,"
            + " max, pattern, enum, maxLength). A record that breaks the contract fails the task, is dropped, or is"
            + " re-routed to <topic>" + ContractValidate.DEFAULT_SUFFIX + " with the reason in headers, per "
            + ContractValidate.ON_INVALID + ". Re-routing works for source connectors too, which have no dead-letter"
            + " queue. Tombstones (null values) pass unchecked.";

    public static final String ON_INVALID = "on.invalid";
    public static final String QUARANTINE_SUFFIX = "quarantine.topic.suffix";
    public static final String DEFAULT_SUFFIX = ".quarantine";

    /** Header names on quarantined records. */
    public static final String HEADER_REASON = "onramp.quarantine.reason";
    public static final String HEADER_RULE = "onramp.quarantine.rule";
    public static final String HEADER_FIELD = "onramp.quarantine.field";
    public static final String HEADER_SOURCE_TOPIC = "onramp.quarantine.source.topic";

    private static final Logger LOG = LoggerFactory.getLogger(ContractValidate.class);
    private static final String GROUP = "Validation";

    /** What happens to a record that breaks its contract. */
    public enum OnInvalid { FAIL, DROP, QUARANTINE }

    public static final ConfigDef CONFIG_DEF = ContractConfig.define(new ConfigDef()
            .define(ON_INVALID, Type.STRING, "fail", ConfigDef.CaseInsensitiveValidString.in("fail", "drop", "quarantine"),
                    Importance.HIGH, "What to do with a record that breaks the contract: 'fail' stops the task with the"
                            + " reason (its offset is not committed, so nothing is lost), 'drop' discards it (counted and"
                            + " logged at WARN with the reason, never the data), 'quarantine' sends it unchanged to"
                            + " <topic>" + DEFAULT_SUFFIX + " with the headers " + HEADER_REASON + ", " + HEADER_RULE
                            + ", " + HEADER_FIELD + " and " + HEADER_SOURCE_TOPIC + ".", GROUP, 1, Width.SHORT, "On invalid")
            .define(QUARANTINE_SUFFIX, Type.STRING, DEFAULT_SUFFIX, new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Appended to the record's topic to name its quarantine topic.", GROUP, 2, Width.SHORT,
                    "Quarantine suffix"));

    private Contract contract;
    private RecordValidator validator;
    private OnInvalid onInvalid;
    private String suffix;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();

    @Override
    public String version() {
        return OnrampVersion.get();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void configure(Map<String, ?> props) {
        var config = new AbstractConfig(CONFIG_DEF, props, false);
        contract = ContractConfig.load(config);
        validator = new RecordValidator(contract);
        onInvalid = OnInvalid.valueOf(config.getString(ON_INVALID).toUpperCase(Locale.ROOT));
        suffix = config.getString(QUARANTINE_SUFFIX);
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        Violation violation = validator.validate(record.value());
        if (violation == null) {
            return record;
        }
        return switch (onInvalid) {
            case FAIL -> throw new DataException("A record for topic '" + record.topic() + "' breaks contract "
                    + contract + " (rule " + violation.rule() + "): " + violation.reason());
            case DROP -> {
                long n = dropped.incrementAndGet();
                LOG.warn("Dropped a record for topic '{}' that breaks contract {} (rule {}, {} dropped so far): {}",
                        record.topic(), contract, violation.rule(), n, violation.reason());
                yield null;
            }
            case QUARANTINE -> {
                quarantined.incrementAndGet();
                Headers headers = record.headers().duplicate()
                        .addString(HEADER_REASON, violation.reason())
                        .addString(HEADER_RULE, violation.rule())
                        .addString(HEADER_FIELD, violation.field())
                        .addString(HEADER_SOURCE_TOPIC, record.topic());
                LOG.debug("Quarantining a record for topic '{}': {}", record.topic(), violation.reason());
                // Partition left to the producer: the quarantine topic need not have the source topic's partitions.
                yield record.newRecord(record.topic() + suffix, null, record.keySchema(), record.key(),
                        record.valueSchema(), record.value(), record.timestamp(), headers);
            }
        };
    }

    /** Records dropped by this instance since it was configured. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Records quarantined by this instance since it was configured. */
    public long quarantinedCount() {
        return quarantined.get();
    }

    @Override
    public void close() {
    }
}
