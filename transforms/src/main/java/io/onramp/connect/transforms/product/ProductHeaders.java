package io.onramp.connect.transforms.product;

import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.transforms.OnrampTransform;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Headers;

/** Adds the governance and lineage headers of a data product. See {@link #OVERVIEW_DOC}. */
public class ProductHeaders<R extends ConnectRecord<R>> extends OnrampTransform<R> {

    public static final String OVERVIEW_DOC = "Adds governance and lineage headers to every record: "
            + GovernanceHeaders.PRODUCT + ", " + GovernanceHeaders.CONTRACT_VERSION + ", "
            + GovernanceHeaders.CONTRACT_FINGERPRINT + ", " + GovernanceHeaders.OWNER + ", "
            + GovernanceHeaders.CLASSIFICATION + ", " + GovernanceHeaders.SOURCE_SYSTEM + ", "
            + GovernanceHeaders.CAPTURE_TS + " and " + GovernanceHeaders.CONNECTOR
            + ", from the product's contract and this config. Existing headers of those names are replaced.";

    public static final String SOURCE_SYSTEM = "source.system";
    public static final String CONNECTOR_NAME = "connector.name";
    public static final String CLASSIFICATION = "classification";
    public static final String CAPTURE_TS = "capture.ts";

    private static final String GROUP = "Headers";

    public static final ConfigDef CONFIG_DEF = ContractConfig.define(new ConfigDef()
            .define(SOURCE_SYSTEM, Type.STRING, null, Importance.HIGH,
                    "The system the data comes from (e.g. 'sap-erp', 'billing-db'), written to "
                            + GovernanceHeaders.SOURCE_SYSTEM + "; the header is omitted when unset.",
                    GROUP, 1, Width.MEDIUM, "Source system")
            .define(CONNECTOR_NAME, Type.STRING, null, Importance.MEDIUM,
                    "The connector's name, written to " + GovernanceHeaders.CONNECTOR + " (Connect does not tell"
                            + " transforms which connector runs them); the header is omitted when unset.",
                    GROUP, 2, Width.MEDIUM, "Connector name")
            .define(CLASSIFICATION, Type.STRING, null, Importance.LOW,
                    "Overrides " + GovernanceHeaders.CLASSIFICATION + "; by default it lists the classifications of"
                            + " the contract's fields (e.g. 'pii'), or 'unclassified'.",
                    GROUP, 3, Width.SHORT, "Classification")
            .define(CAPTURE_TS, Type.STRING, "record", ConfigDef.CaseInsensitiveValidString.in("record", "now"),
                    Importance.LOW, "What " + GovernanceHeaders.CAPTURE_TS + " holds: 'record' (the record's timestamp,"
                            + " or the current time when it has none) or 'now' (the time the transform ran).",
                    GROUP, 4, Width.SHORT, "Capture timestamp"));

    /** A header fixed at configure time. */
    private record Fixed(String name, Schema schema, Object value) {
    }

    private List<Fixed> fixed;
    private boolean captureNow;

    public ProductHeaders() {
        super(CONFIG_DEF);
    }

    /** Across keys: the contract must be found and fit. */
    @Override
    protected void load(AbstractConfig config) {
        Contract contract = ContractConfig.load(config);
        var headers = new ArrayList<Fixed>();
        headers.add(new Fixed(GovernanceHeaders.PRODUCT, Schema.STRING_SCHEMA, contract.productId()));
        headers.add(new Fixed(GovernanceHeaders.CONTRACT_VERSION, Schema.INT32_SCHEMA, contract.version()));
        headers.add(new Fixed(GovernanceHeaders.CONTRACT_FINGERPRINT, Schema.STRING_SCHEMA, contract.fingerprint()));
        contract.owner().ifPresent(o -> headers.add(new Fixed(GovernanceHeaders.OWNER, Schema.STRING_SCHEMA, o)));
        String classification = config.getString(CLASSIFICATION);
        if (classification == null) {
            classification = contract.classifications().isEmpty() ? "unclassified" : String.join(",", contract.classifications());
        }
        headers.add(new Fixed(GovernanceHeaders.CLASSIFICATION, Schema.STRING_SCHEMA, classification));
        optional(headers, GovernanceHeaders.SOURCE_SYSTEM, config.getString(SOURCE_SYSTEM));
        optional(headers, GovernanceHeaders.CONNECTOR, config.getString(CONNECTOR_NAME));
        fixed = List.copyOf(headers);
        captureNow = "now".equalsIgnoreCase(config.getString(CAPTURE_TS));
    }

    private static void optional(List<Fixed> headers, String name, String value) {
        if (value != null && !value.isBlank()) {
            headers.add(new Fixed(name, Schema.STRING_SCHEMA, value));
        }
    }

    @Override
    public R apply(R record) {
        Headers headers = record.headers().duplicate();
        boolean replace = !headers.isEmpty();
        for (Fixed h : fixed) {
            if (replace) {
                headers.remove(h.name());
            }
            headers.add(h.name(), h.value(), h.schema());
        }
        long ts = !captureNow && record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
        if (replace) {
            headers.remove(GovernanceHeaders.CAPTURE_TS);
        }
        headers.addLong(GovernanceHeaders.CAPTURE_TS, ts);
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), headers);
    }
}
