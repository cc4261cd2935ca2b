package io.onramp.connect.transforms.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.schema.AvroSchemaMapper;
import io.onramp.connect.transforms.TestContracts;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractValidateTest {

    @TempDir
    Path root;

    /** Each test's transform gets its own connector.name, so its metrics bean is its own. */
    private final String connectorName = "ContractValidateTest-" + System.nanoTime();

    ContractValidate<SourceRecord> configured(String onInvalid) {
        TestContracts.ordersDirectory(root, false);
        var t = new ContractValidate<SourceRecord>();
        t.configure(Map.of("contract.dir", root.toString(), "contract.domain", "sales", "contract.product", "orders",
                "on.invalid", onInvalid, "connector.name", connectorName));
        return t;
    }

    long metric(String attribute) throws Exception {
        return (Long) java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(new javax.management.ObjectName(
                "io.onramp.connect:type=transform-metrics,connector=" + connectorName + ",transform=ContractValidate,instance=0"),
                attribute);
    }

    Schema schema() {
        return AvroSchemaMapper.toConnectSchema(Contract.load(root.resolve("sales/orders/v1.avsc")).schema());
    }

    Struct order(int qty) {
        return new Struct(schema()).put("id", 1L).put("email", "a@b.org").put("qty", qty).put("status", "NEW");
    }

    static SourceRecord record(Schema schema, Object value) {
        return new SourceRecord(Map.of("f", "x"), Map.of("line", 3), "orders-raw", 2, Schema.STRING_SCHEMA, "k", schema, value);
    }

    static String header(SourceRecord r, String name) {
        Header h = r.headers().lastWithName(name);
        return h == null ? null : (String) h.value();
    }

    @Test
    void countsValidatedDroppedAndQuarantinedRecordsInItsJmxBeanUntilClosed() throws Exception {
        TestContracts.ordersDirectory(root, false);
        var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        var name = new javax.management.ObjectName(
                "io.onramp.connect:type=transform-metrics,connector=unit-orders,transform=ContractValidate,instance=0");
        var t = new ContractValidate<SourceRecord>();
        t.configure(Map.of("contract.dir", root.toString(), "contract.domain", "sales", "contract.product", "orders",
                "on.invalid", "quarantine", "connector.name", "unit-orders"));

        t.apply(record(schema(), order(2)));
        t.apply(record(schema(), order(0)));
        t.apply(record(schema(), null));

        assertThat(server.getAttribute(name, "RecordsValidated")).as("a tombstone is not validated").isEqualTo(2L);
        assertThat(server.getAttribute(name, "RecordsQuarantined")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "RecordsDropped")).isEqualTo(0L);
        t.close();
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void validRecordPassesUnchanged() {
        ContractValidate<SourceRecord> t = configured("fail");
        SourceRecord in = record(schema(), order(5));

        assertThat(t.apply(in)).isSameAs(in);
    }

    @Test
    void failModeThrowsWithContractRuleAndFieldButNotTheValue() {
        ContractValidate<SourceRecord> t = configured("FAIL");

        assertThatThrownBy(() -> t.apply(record(schema(), order(1000)))).isInstanceOf(DataException.class)
                .hasMessageContaining("sales.orders v1").hasMessageContaining("rule max")
                .hasMessageContaining("'qty'").hasMessageNotContaining("1000");
    }

    @Test
    void dropModeDropsAndCounts() throws Exception {
        ContractValidate<SourceRecord> t = configured("drop");

        assertThat(t.apply(record(schema(), order(0)))).isNull();
        assertThat(t.apply(record(schema(), order(2)))).isNotNull();
        assertThat(metric("RecordsDropped")).isEqualTo(1);
    }

    @Test
    void quarantineModeReroutesWithReasonRuleAndFieldHeaders() throws Exception {
        ContractValidate<SourceRecord> t = configured("quarantine");
        SourceRecord in = record(schema(), order(3).put("email", "not-an-email"));

        SourceRecord out = t.apply(in);

        assertThat(out.topic()).isEqualTo("orders-raw.quarantine");
        assertThat(out.kafkaPartition()).isNull();
        assertThat(out.value()).isSameAs(in.value());
        assertThat(out.sourceOffset()).isEqualTo(in.sourceOffset());
        assertThat(header(out, ContractValidate.HEADER_RULE)).isEqualTo("pattern");
        assertThat(header(out, ContractValidate.HEADER_FIELD)).isEqualTo("email");
        assertThat(header(out, ContractValidate.HEADER_REASON)).contains("'email'", "pattern");
        assertThat(header(out, ContractValidate.HEADER_SOURCE_TOPIC)).isEqualTo("orders-raw");
        assertThat(metric("RecordsQuarantined")).isEqualTo(1);
    }

    @Test
    void validatesSchemalessMapsIncludingTypesAndMissingFields() {
        ContractValidate<SourceRecord> t = configured("quarantine");
        var value = new HashMap<String, Object>(Map.of("id", 1L, "email", "a@b.org", "qty", "5", "status", "NEW"));

        assertThat(header(t.apply(record(null, value)), ContractValidate.HEADER_RULE)).isEqualTo("type");
        value.put("qty", 5);
        assertThat(t.apply(record(null, value)).topic()).isEqualTo("orders-raw");
        value.remove("status");
        assertThat(header(t.apply(record(null, value)), ContractValidate.HEADER_FIELD)).isEqualTo("status");
        value.put("status", "LOST");
        assertThat(header(t.apply(record(null, value)), ContractValidate.HEADER_RULE)).isEqualTo("enum");
    }

    @Test
    void tombstonesPass() {
        ContractValidate<SourceRecord> t = configured("fail");
        SourceRecord tombstone = record(null, null);

        assertThat(t.apply(tombstone)).isSameAs(tombstone);
    }

    @Test
    void unknownPolicyAndMissingContractAreConfigErrors() {
        TestContracts.ordersDirectory(root, false);
        assertThatThrownBy(() -> new ContractValidate<SourceRecord>().configure(Map.of("contract.dir", root.toString(),
                "contract.domain", "sales", "contract.product", "orders", "on.invalid", "ignore")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("on.invalid");
        assertThatThrownBy(() -> new ContractValidate<SourceRecord>().configure(Map.of("contract.dir", root.toString(),
                "contract.domain", "sales", "contract.product", "invoices")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sales.invoices");
    }

    @Test
    void everyConfigKeyIsDocumented() {
        assertThat(new ContractValidate<SourceRecord>().config().configKeys().values())
                .allSatisfy(k -> assertThat(k.documentation).isNotBlank());
    }
}
