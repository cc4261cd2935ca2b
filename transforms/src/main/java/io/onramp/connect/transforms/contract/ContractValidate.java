package io.onramp.connect.transforms.contract;

import io.onramp.connect.core.InvalidRecordHandler;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.core.contract.RecordValidator;
import io.onramp.connect.core.contract.Violation;
import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.transforms.OnrampTransform;
import io.onramp.connect.transforms.TransformMetrics;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks each record value against its data-product contract. See {@link #OVERVIEW_DOC}. */
public class ContractValidate<R extends ConnectRecord<R>> extends OnrampTransform<R> {

    public static final String OVERVIEW_DOC = "Checks every record value (Struct or schemaless Map) against the"
            + " product's contract: Avro types, missing fields, and the quality rules of each field (required, min,"
            + " max, pattern, enum, maxLength). A record that breaks the contract fails the task, is dropped, or is"
            + " re-routed to <topic>" + ContractValidate.DEFAULT_SUFFIX + " with the reason in headers, per "
            + ContractValidate.ON_INVALID + ". Re-routing works for source connectors too, which have no dead-letter"
            + " queue. Tombstones (null values) pass unchecked.";

    public static final String ON_INVALID = InvalidRecordHandler.ON_INVALID;
    public static final String QUARANTINE_SUFFIX = InvalidRecordHandler.QUARANTINE_SUFFIX;
    public static final String DEFAULT_SUFFIX = InvalidRecordHandler.DEFAULT_SUFFIX;

    /** Header names on quarantined records. */
    public static final String HEADER_REASON = InvalidRecordHandler.HEADER_REASON;
    public static final String HEADER_RULE = InvalidRecordHandler.HEADER_RULE;
    public static final String HEADER_FIELD = InvalidRecordHandler.HEADER_FIELD;
    public static final String HEADER_SOURCE_TOPIC = InvalidRecordHandler.HEADER_SOURCE_TOPIC;

    private static final Logger LOG = LoggerFactory.getLogger(ContractValidate.class);

    public static final ConfigDef CONFIG_DEF = TransformMetrics.defineConnectorName(ContractConfig.define(
            InvalidRecordHandler.define(new ConfigDef(), "Validation", "breaks the contract")), "Validation", 3);

    private RecordValidator validator;
    private InvalidRecordHandler invalid;
    private Counter validated;

    public ContractValidate() {
        super(CONFIG_DEF);
    }

    /** Across keys: the contract must be found and fit. */
    @Override
    protected void load(AbstractConfig config) {
        Contract contract = ContractConfig.load(config);
        validator = new RecordValidator(contract);
        var metrics = newMetrics("Onramp ContractValidate transform");
        validated = metrics.counter("RecordsValidated", "Records checked against the contract (tombstones are not)");
        invalid = new InvalidRecordHandler(config.getString(ON_INVALID), config.getString(QUARANTINE_SUFFIX), LOG,
                "breaks contract " + contract, metrics);
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        validated.increment();
        Violation violation = validator.validate(record.value());
        return violation == null ? record : invalid.handle(record, violation);
    }
}
