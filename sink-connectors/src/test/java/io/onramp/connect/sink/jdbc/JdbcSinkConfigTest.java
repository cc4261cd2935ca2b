package io.onramp.connect.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class JdbcSinkConfigTest {

    static Map<String, String> base() {
        var props = new HashMap<String, String>();
        props.put("name", "sink");
        props.put("connector.class", JdbcSinkConnector.class.getName());
        props.put("topics", "orders");
        props.put("connection.url", "jdbc:postgresql://localhost:5432/test");
        props.put("connection.user", "onramp");
        props.put("connection.password", "s3cret");
        return props;
    }

    static List<String> errors(Map<String, String> props, String key) {
        return new JdbcSinkConnector().validate(props).configValues().stream().filter(v -> v.name().equals(key))
                .findFirst().map(ConfigValue::errorMessages).orElseThrow();
    }

    static Map<String, String> with(String... keyValues) {
        var props = base();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    @Test
    void defaultsAreUpsertByRecordKeyWithDeletes() {
        var config = new JdbcSinkConfig(base());
        assertThat(config.writeMode().name()).isEqualTo("UPSERT");
        assertThat(config.keyMode().name()).isEqualTo("RECORD_KEY");
        assertThat(config.deleteEnabled()).isTrue();
        assertThat(config.connectionSettings().password().value()).isEqualTo("s3cret");
        assertThat(JdbcSinkConfig.CONFIG_DEF.configKeys().get("connection.password").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(new JdbcSinkConnector().validate(base()).configValues())
                .allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    @Test
    void everyKeyIsDocumentedAndGrouped() {
        JdbcSinkConfig.CONFIG_DEF.configKeys().values().forEach(key -> {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
        });
    }

    @Test
    void keyModeNoneOnlyInserts() {
        assertThat(errors(with("primary.key.mode", "none", "delete.enabled", "false"), "primary.key.mode"))
                .singleElement().asString().contains("insert.mode").contains("upsert");
        assertThat(errors(with("primary.key.mode", "none", "delete.enabled", "false", "insert.mode", "insert"),
                "primary.key.mode")).isEmpty();
    }

    @Test
    void deletesNeedARecordKey() {
        assertThat(errors(with("primary.key.mode", "kafka", "insert.mode", "insert"), "delete.enabled"))
                .singleElement().asString().contains("record_key");
    }

    @Test
    void recordValueNeedsItsKeyFields() {
        assertThat(errors(with("primary.key.mode", "record_value"), "primary.key.fields"))
                .singleElement().asString().contains("record_value");
    }

    @Test
    void includeAndExcludeListsAreExclusive() {
        assertThat(errors(with("fields.include.list", "a", "fields.exclude.list", "b"), "fields.include.list"))
                .singleElement().asString().contains("not both");
    }

    @Test
    void perKeyValidatorsNameTheKey() {
        assertThat(errors(with("connection.url", "postgresql://x"), "connection.url")).singleElement().asString()
                .contains("connection.url").contains("jdbc:");
        assertThat(errors(with("insert.mode", "merge"), "insert.mode")).isNotEmpty();
        assertThat(errors(with("table.name.format", "${table}"), "table.name.format")).singleElement().asString()
                .contains("${table} is unknown");
        assertThat(errors(with("contract.file", "/no/such/v1.avsc"), "contract.file")).singleElement().asString()
                .contains("contract.file");
    }
}
