package io.onramp.connect.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxRoutingTest {

    private static final ConfigDef DEF = OutboxRoutingConfig.define(new ConfigDef());

    /** Debezium's PostgreSQL connector shapes an outbox row like this (jsonb as io.debezium.data.Json text). */
    private static final Schema ROW = SchemaBuilder.struct().name("test.public.outbox.Value")
            .field("id", Schema.STRING_SCHEMA)
            .field("aggregatetype", Schema.STRING_SCHEMA)
            .field("aggregateid", Schema.STRING_SCHEMA)
            .field("type", Schema.OPTIONAL_STRING_SCHEMA)
            .field("payload", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
            .field("created_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
            .field("tenant", Schema.OPTIONAL_STRING_SCHEMA)
            .field("shard", Schema.OPTIONAL_INT32_SCHEMA)
            .build();

    private static OutboxRouting router(Map<String, Object> props) {
        return OutboxRoutingConfig.router(new AbstractConfig(DEF, props, false));
    }

    private static OutboxRouting router(Object... kv) {
        var props = new HashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put((String) kv[i], kv[i + 1]);
        }
        return router(props);
    }

    private static Struct row(String aggregateType, String payload) {
        return new Struct(ROW).put("id", "e-1").put("aggregatetype", aggregateType).put("aggregateid", "order-7")
                .put("type", "OrderCreated").put("payload", payload)
                .put("created_at", 1_700_000_000_123_456L).put("tenant", "acme").put("shard", 2);
    }

    @Test
    void routesByAggregateTypeToDebeziumsDefaultTopicWithKeyAndEventIdHeader() {
        RoutedEvent event = router().route(OutboxRow.of(row("Order", "{\"a\":1}")), 99L);
        assertThat(event.topic()).isEqualTo("outbox.event.Order");
        assertThat(event.key()).isEqualTo("order-7");
        assertThat(event.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(event.headers()).containsExactly(new EventHeader("id", Schema.STRING_SCHEMA, "e-1"));
        assertThat(event.timestamp()).isEqualTo(99L);
        assertThat(event.partition()).isNull();
        // Without expansion the payload passes as the column's text, as in Debezium.
        assertThat(event.value()).isEqualTo("{\"a\":1}");
        assertThat(event.valueSchema()).isSameAs(ROW.field("payload").schema());
        assertThat(event.violation()).isNull();
    }

    @Test
    void expandsTheJsonPayloadIntoAnInferredStruct() {
        RoutedEvent event = router(OutboxRoutingConfig.EXPAND_JSON_PAYLOAD, "true")
                .route(OutboxRow.of(row("Order", "{\"total\":12.5,\"id\":3}")), 0L);
        Struct value = (Struct) event.value();
        assertThat(value.getInt64("id")).isEqualTo(3L);
        assertThat(value.getFloat64("total")).isEqualTo(12.5);
        assertThat(event.valueSchema()).isSameAs(value.schema());
    }

    @Test
    void anUnparsablePayloadIsAViolationCarryingTheRawTextNeverAnExpandedValue() {
        RoutedEvent event = router(OutboxRoutingConfig.EXPAND_JSON_PAYLOAD, "true")
                .route(OutboxRow.of(row("Order", "{\"total\": secret")), 0L);
        assertThat(event.violation()).isNotNull();
        assertThat(event.violation().rule()).isEqualTo("json");
        assertThat(event.violation().reason()).contains("'payload'").contains("not valid JSON").doesNotContain("secret");
        assertThat(event.value()).isEqualTo("{\"total\": secret");
        assertThat(event.topic()).isEqualTo("outbox.event.Order");
    }

    @Test
    void regexAndReplacementRouteLikeDebeziumAndANonMatchingValueIsTheTopic() {
        var routing = router(OutboxRoutingConfig.ROUTE_TOPIC_REGEX, "(?<routedByValue>order|customer)",
                OutboxRoutingConfig.ROUTE_TOPIC_REPLACEMENT, "sales.${routedByValue}.events");
        assertThat(routing.route(OutboxRow.of(row("order", null)), 0L).topic()).isEqualTo("sales.order.events");
        assertThat(routing.route(OutboxRow.of(row("invoice", null)), 0L).topic()).isEqualTo("invoice");
    }

    @Test
    void topicPatternFillsDomainAggregateAndType() {
        var routing = router(OutboxRoutingConfig.ROUTE_TOPIC_PATTERN, "${domain}.${aggregate}.${type}",
                OutboxRoutingConfig.ROUTE_DOMAIN, "sales");
        assertThat(routing.route(OutboxRow.of(row("order", null)), 0L).topic()).isEqualTo("sales.order.OrderCreated");
    }

    @Test
    void eventTimestampColumnConvertsDebeziumMicroTimestamps() {
        RoutedEvent event = router(OutboxRoutingConfig.EVENT_TIMESTAMP, "created_at")
                .route(OutboxRow.of(row("Order", null)), 5L);
        assertThat(event.timestamp()).isEqualTo(1_700_000_000_123L);
        Struct nullTime = row("Order", null).put("created_at", null);
        assertThat(router(OutboxRoutingConfig.EVENT_TIMESTAMP, "created_at").route(OutboxRow.of(nullTime), 5L).timestamp())
                .isEqualTo(5L);
    }

    @Test
    void additionalColumnsGoToHeadersEnvelopeFieldsAndThePartition() {
        RoutedEvent event = router(OutboxRoutingConfig.ADDITIONAL_PLACEMENT, "type:header:eventType,tenant:envelope:org,shard:partition",
                OutboxRoutingConfig.EXPAND_JSON_PAYLOAD, "true")
                .route(OutboxRow.of(row("Order", "{\"a\":1}")), 0L);
        assertThat(event.headers()).containsExactly(new EventHeader("id", Schema.STRING_SCHEMA, "e-1"),
                new EventHeader("eventType", Schema.OPTIONAL_STRING_SCHEMA, "OrderCreated"));
        assertThat(event.partition()).isEqualTo(2);
        Struct value = (Struct) event.value();
        assertThat(value.schema().fields()).extracting(org.apache.kafka.connect.data.Field::name).containsExactly("payload", "org");
        assertThat(value.getString("org")).isEqualTo("acme");
        assertThat(value.getStruct("payload").getInt64("a")).isEqualTo(1L);
    }

    @Test
    void emptyPayloadBecomesATombstoneWhenAsked() {
        var routing = router(OutboxRoutingConfig.ROUTE_TOMBSTONE_ON_EMPTY_PAYLOAD, "true", OutboxRoutingConfig.EXPAND_JSON_PAYLOAD, "true");
        for (String empty : new String[] {null, "", "  "}) {
            RoutedEvent event = routing.route(OutboxRow.of(row("Order", empty)), 0L);
            assertThat(event.isTombstone()).isTrue();
            assertThat(event.valueSchema()).isNull();
            assertThat(event.key()).isEqualTo("order-7");
            assertThat(event.topic()).isEqualTo("outbox.event.Order");
        }
        // Without the option a blank payload is not JSON.
        assertThat(router(OutboxRoutingConfig.EXPAND_JSON_PAYLOAD, "true").route(OutboxRow.of(row("Order", "")), 0L)
                .violation().rule()).isEqualTo("json");
    }

    @Test
    void flatSchemalessRowsFromAJdbcSourceRouteTheSameWay() {
        var values = new LinkedHashMap<String, Object>();
        UUID id = UUID.fromString("0b3e0c86-5a47-4e1a-9b1e-2f0d3c1a9e11");
        values.put("id", id);
        values.put("aggregatetype", "customer");
        values.put("aggregateid", 17L);
        values.put("type", "Registered");
        values.put("payload", "{\"name\":\"Bo\"}".getBytes(StandardCharsets.UTF_8));
        values.put("created_at", java.sql.Timestamp.from(Instant.ofEpochMilli(1_234L)));
        RoutedEvent event = router(OutboxRoutingConfig.EXPAND_JSON_PAYLOAD, "true", OutboxRoutingConfig.EVENT_TIMESTAMP, "created_at")
                .route(OutboxRow.of(values), 0L);
        assertThat(event.topic()).isEqualTo("outbox.event.customer");
        assertThat(event.key()).isEqualTo(17L);
        assertThat(event.keySchema()).isEqualTo(Schema.INT64_SCHEMA);
        assertThat(event.eventId()).isEqualTo(id.toString());
        assertThat(event.headers().get(0)).isEqualTo(new EventHeader("id", Schema.STRING_SCHEMA, id.toString()));
        assertThat(event.timestamp()).isEqualTo(1_234L);
        assertThat(((Struct) event.value()).getString("name")).isEqualTo("Bo");
    }

    @Test
    void missingOrNullRoutingColumnsAreErrorsNamingColumnAndKey() {
        var values = new HashMap<String, Object>(Map.of("id", "1", "aggregateid", "k", "payload", "{}"));
        assertThatThrownBy(() -> router().route(OutboxRow.of(values), 0L)).isInstanceOf(DataException.class)
                .hasMessageContaining("'aggregatetype'").hasMessageContaining("route.by.field");
        values.put("aggregatetype", null);
        assertThatThrownBy(() -> router().route(OutboxRow.of(values), 0L)).hasMessageContaining("is null");
        values.put("aggregatetype", "x");
        values.remove("aggregateid");
        assertThatThrownBy(() -> router().route(OutboxRow.of(values), 0L)).hasMessageContaining("table.field.event.key");
    }

    @Test
    void contractTypesThePayloadAndReportsBrokenRulesWithoutValues(@TempDir Path dir) throws Exception {
        Path contract = write(dir, "sales", "order", 2, "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"long\"},"
                + "{\"name\":\"total\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":9,\"scale\":2}},"
                + "{\"name\":\"status\",\"type\":\"string\",\"onramp.rules\":{\"enum\":[\"NEW\",\"PAID\"]}}]}");
        var routing = router(io.onramp.connect.core.contract.ContractConfig.FILE, contract.toString(),
                OutboxRoutingConfig.ROUTE_TOPIC_PATTERN, "${domain}.${aggregate}.v${version}");
        RoutedEvent ok = routing.route(OutboxRow.of(row("order", "{\"status\":\"NEW\",\"total\":10.10,\"id\":5,\"x\":1}")), 0L);
        assertThat(ok.violation()).isNull();
        assertThat(ok.topic()).isEqualTo("sales.order.v2");
        Struct value = (Struct) ok.value();
        assertThat(value.getInt64("id")).isEqualTo(5L);
        assertThat(value.get("total")).isEqualTo(new java.math.BigDecimal("10.10"));
        assertThat(ok.valueSchema().field("x")).isNull();

        RoutedEvent badRule = routing.route(OutboxRow.of(row("order", "{\"status\":\"LOST\",\"total\":1,\"id\":5}")), 0L);
        assertThat(badRule.violation().rule()).isEqualTo("enum");
        assertThat(badRule.violation().field()).isEqualTo("status");
        assertThat(badRule.violation().reason()).doesNotContain("LOST");

        RoutedEvent badType = routing.route(OutboxRow.of(row("order", "{\"status\":\"NEW\",\"total\":1,\"id\":\"five-secret\"}")), 0L);
        assertThat(badType.violation().rule()).isEqualTo("type");
        assertThat(badType.violation().field()).isEqualTo("id");
        assertThat(badType.violation().reason()).doesNotContain("five-secret");
        assertThat(badType.value()).isEqualTo("{\"status\":\"NEW\",\"total\":1,\"id\":\"five-secret\"}");
    }

    @Test
    void contractDirectoryWithoutProductTypesEachAggregateByItsOwnProduct(@TempDir Path dir) throws Exception {
        write(dir, "sales", "order", 1, "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}");
        write(dir, "sales", "customer", 1, "{\"type\":\"record\",\"name\":\"Customer\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}");
        var routing = router(io.onramp.connect.core.contract.ContractConfig.DIR, dir.toString(),
                io.onramp.connect.core.contract.ContractConfig.DOMAIN, "sales");
        assertThat(((Struct) routing.route(OutboxRow.of(row("order", "{\"id\":1}")), 0L).value()).getInt64("id")).isEqualTo(1L);
        assertThat(((Struct) routing.route(OutboxRow.of(row("customer", "{\"name\":\"Al\"}")), 0L).value()).getString("name"))
                .isEqualTo("Al");
        RoutedEvent unknown = routing.route(OutboxRow.of(row("invoice", "{\"id\":1}")), 0L);
        assertThat(unknown.violation().rule()).isEqualTo("contract");
        assertThat(unknown.violation().reason()).contains("'invoice'");
    }

    @Test
    void validatorsRejectBadPlacementsAndPatternsNamingTheKey() {
        assertThatThrownBy(() -> DEF.parse(Map.of(OutboxRoutingConfig.ADDITIONAL_PLACEMENT, "type:body")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(OutboxRoutingConfig.ADDITIONAL_PLACEMENT)
                .hasMessageContaining("header, envelope or partition");
        assertThatThrownBy(() -> DEF.parse(Map.of(OutboxRoutingConfig.ADDITIONAL_PLACEMENT, "a:partition,b:partition")))
                .hasMessageContaining("only one column");
        assertThatThrownBy(() -> DEF.parse(Map.of(OutboxRoutingConfig.ROUTE_TOPIC_PATTERN, "${domain}.${agg}")))
                .hasMessageContaining(OutboxRoutingConfig.ROUTE_TOPIC_PATTERN).hasMessageContaining("unknown placeholder");
        assertThatThrownBy(() -> DEF.parse(Map.of(OutboxRoutingConfig.ROUTE_TOPIC_PATTERN, "a b ${aggregate}")))
                .hasMessageContaining("legal topic name");
        assertThatThrownBy(() -> DEF.parse(Map.of(OutboxRoutingConfig.ROUTE_TOPIC_REGEX, "(unclosed")))
                .hasMessageContaining(OutboxRoutingConfig.ROUTE_TOPIC_REGEX);
        assertThat(AdditionalField.parseAll(List.of("type:header:eventType")))
                .containsExactly(new AdditionalField("type", AdditionalField.Placement.HEADER, "eventType"));
    }

    private static Path write(Path root, String domain, String product, int version, String json) throws Exception {
        Path d = Files.createDirectories(root.resolve(domain).resolve(product));
        return Files.writeString(d.resolve("v" + version + ".avsc"), json);
    }
}
