package io.onramp.connect.transforms.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class ProductTopicTest {

    @TempDir
    Path root;

    ProductTopic<SourceRecord> configured(Map<String, String> extra) {
        var props = new HashMap<String, String>(Map.of("contract.dir", root.toString(), "contract.domain", "sales",
                "contract.product", "orders"));
        props.putAll(extra);
        var t = new ProductTopic<SourceRecord>();
        t.configure(props);
        return t;
    }

    static SourceRecord record() {
        return new SourceRecord(Map.of(), Map.of(), "raw", 3, Schema.STRING_SCHEMA, "k", Schema.STRING_SCHEMA, "v");
    }

    static Object header(SourceRecord r, String name) {
        Header h = r.headers().lastWithName(name);
        return h == null ? null : h.value();
    }

    @Test
    void routesToDomainProductMajorOfTheNewestVersionByDefault() {
        TestContracts.ordersDirectory(root, true);

        SourceRecord out = configured(Map.of()).apply(record());

        assertThat(out.topic()).isEqualTo("sales.orders.v2");
        assertThat(out.kafkaPartition()).isEqualTo(3);
        assertThat(out.headers()).isEmpty();
    }

    @Test
    void routesTheConfiguredVersionWithACustomPattern() {
        TestContracts.ordersDirectory(root, true);

        assertThat(configured(Map.of("contract.version", "1", "topic.pattern", "prod_${domain}-${product}_v${major}"))
                .apply(record()).topic()).isEqualTo("prod_sales-orders_v1");
    }

    @Test
    void deprecatedVersionGetsDeprecationAndSunsetHeaders() {
        TestContracts.write(root, "sales", "orders", 1, TestContracts.deprecated(TestContracts.ORDERS_V1, "2027-06-30"));
        TestContracts.write(root, "sales", "orders", 2, TestContracts.ORDERS_V2);

        SourceRecord v1 = configured(Map.of("contract.version", "1")).apply(record());
        SourceRecord v2 = configured(Map.of("contract.version", "2")).apply(record());

        assertThat(header(v1, GovernanceHeaders.DEPRECATED)).isEqualTo(true);
        assertThat(header(v1, GovernanceHeaders.SUNSET)).isEqualTo("2027-06-30");
        assertThat(v2.headers()).isEmpty();
        assertThat(configured(Map.of("contract.version", "1", "deprecation.headers", "false")).apply(record()).headers())
                .isEmpty();
    }

    @Test
    void illegalTopicNameIsRejectedAtConfigureTime() {
        TestContracts.ordersDirectory(root, false);

        assertThatThrownBy(() -> configured(Map.of("topic.pattern", "${domain}/${product}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topic.pattern").hasMessageContaining("sales/orders");
        assertThatThrownBy(() -> configured(Map.of("topic.pattern", "x".repeat(250))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("249");
        assertThatThrownBy(() -> configured(Map.of("topic.pattern", "${team}.v${major}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("${team}");
    }

    @Test
    void topicRulesFollowKafka() {
        assertThat(ProductTopic.topicProblem("sales.orders.v1")).isNull();
        assertThat(ProductTopic.topicProblem("a_b-C.9")).isNull();
        assertThat(ProductTopic.topicProblem(".")).isNotNull();
        assertThat(ProductTopic.topicProblem("..")).isNotNull();
        assertThat(ProductTopic.topicProblem("")).isNotNull();
        assertThat(ProductTopic.topicProblem("é")).isNotNull();
        assertThat(ProductTopic.topicProblem("x".repeat(249))).isNull();
    }

    @Test
    void incompatibleContractDirectoryIsRejectedByTheConfigDef() {
        TestContracts.write(root, "sales", "orders", 1, TestContracts.ORDERS_V1);
        TestContracts.write(root, "sales", "orders", 2, TestContracts.ORDERS_V1.replace("\"type\":\"int\"", "\"type\":\"string\""));

        var results = new ProductTopic<SourceRecord>().config().validate(Map.of("contract.dir", root.toString()));

        assertThat(results).filteredOn(v -> v.name().equals("contract.dir")).singleElement()
                .satisfies(v -> assertThat(v.errorMessages()).singleElement().asString()
                        .contains("sales.orders v2 is not backward compatible with v1", "field 'qty'"));
    }
}
