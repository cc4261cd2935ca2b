package io.onramp.connect.transforms.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.transforms.TestContracts;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductHeadersTest {

    @TempDir
    Path root;

    ProductHeaders<SourceRecord> configured(Map<String, String> extra) {
        TestContracts.ordersDirectory(root, true);
        var props = new HashMap<String, String>(Map.of("contract.dir", root.toString(), "contract.domain", "sales",
                "contract.product", "orders", "contract.version", "1"));
        props.putAll(extra);
        var t = new ProductHeaders<SourceRecord>();
        t.configure(props);
        return t;
    }

    static SourceRecord record(Long timestamp) {
        return new SourceRecord(Map.of(), Map.of(), "raw", null, null, null, Schema.STRING_SCHEMA, "v", timestamp);
    }

    static Object header(SourceRecord r, String name) {
        Header h = r.headers().lastWithName(name);
        return h == null ? null : h.value();
    }

    @Test
    void addsGovernanceHeadersFromContractAndConfig() {
        SourceRecord out = configured(Map.of("source.system", "erp", "connector.name", "orders-file"))
                .apply(record(1_700_000_000_000L));

        Contract v1 = Contract.load(root.resolve("sales/orders/v1.avsc"));
        assertThat(header(out, GovernanceHeaders.PRODUCT)).isEqualTo("sales.orders");
        assertThat(header(out, GovernanceHeaders.CONTRACT_VERSION)).isEqualTo(1);
        assertThat(header(out, GovernanceHeaders.CONTRACT_FINGERPRINT)).isEqualTo(v1.fingerprint());
        assertThat(header(out, GovernanceHeaders.OWNER)).isEqualTo("team-sales");
        assertThat(header(out, GovernanceHeaders.CLASSIFICATION)).isEqualTo("pii");
        assertThat(header(out, GovernanceHeaders.SOURCE_SYSTEM)).isEqualTo("erp");
        assertThat(header(out, GovernanceHeaders.CONNECTOR)).isEqualTo("orders-file");
        assertThat(header(out, GovernanceHeaders.CAPTURE_TS)).isEqualTo(1_700_000_000_000L);
        assertThat(out.topic()).isEqualTo("raw");
        assertThat(out.value()).isEqualTo("v");
    }

    @Test
    void captureTimeFallsBackToNowAndUnsetOptionalHeadersAreOmitted() {
        long before = System.currentTimeMillis();
        SourceRecord out = configured(Map.of()).apply(record(null));

        assertThat((Long) header(out, GovernanceHeaders.CAPTURE_TS)).isGreaterThanOrEqualTo(before);
        assertThat(header(out, GovernanceHeaders.SOURCE_SYSTEM)).isNull();
        assertThat(header(out, GovernanceHeaders.CONNECTOR)).isNull();
    }

    @Test
    void replacesExistingHeadersOfTheSameNameAndKeepsOthers() {
        SourceRecord in = record(5L);
        in.headers().addString(GovernanceHeaders.PRODUCT, "stale").addString("trace", "t1");

        SourceRecord out = configured(Map.of("classification", "confidential")).apply(in);

        assertThat(out.headers().allWithName(GovernanceHeaders.PRODUCT)).toIterable().hasSize(1);
        assertThat(header(out, GovernanceHeaders.PRODUCT)).isEqualTo("sales.orders");
        assertThat(header(out, "trace")).isEqualTo("t1");
        assertThat(header(out, GovernanceHeaders.CLASSIFICATION)).isEqualTo("confidential");
        assertThat(in.headers().size()).as("the input record is untouched").isEqualTo(2);
    }

    @Test
    void withoutContractIsAConfigError() {
        assertThatThrownBy(() -> new ProductHeaders<SourceRecord>().configure(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("contract.dir");
    }

    @Test
    void everyConfigKeyIsDocumented() {
        assertThat(new ProductHeaders<SourceRecord>().config().configKeys().values())
                .allSatisfy(k -> assertThat(k.documentation).isNotBlank());
    }
}
