package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.OutboxDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * validate() refuses a 'topic.prefix' that would make a topic Kafka refuses, on 'topic.prefix' and naming the rule,
 * instead of the producer failing once the task runs.
 */
class JdbcSourceTopicPrefixTest {

    private static final OutboxDatabases DB = OutboxDatabases.POSTGRES;
    private final String table = OutboxDatabases.uniqueName("topicprefix");

    @AfterEach
    void drop() throws Exception {
        sql("DROP TABLE IF EXISTS " + table);
    }

    @Test
    void aCustomQuerysTopicPrefixMustBeALegalTopicNameAsItIsUsedUnchanged() throws Exception {
        sql("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        var props = props();
        props.put("query", "SELECT id FROM " + table);
        props.put("topic.prefix", "orders by day");
        assertThat(errors(props, "topic.prefix")).singleElement().asString()
                .contains("'topic.prefix' is the topic of the custom query's records")
                .contains("only ASCII letters, digits, '.', '_' and '-' are allowed");
        props.put("topic.prefix", "x".repeat(250));
        assertThat(errors(props, "topic.prefix")).singleElement().asString().contains("longer than 249 characters");
        props.put("topic.prefix", "..");
        assertThat(errors(props, "topic.prefix")).singleElement().asString().contains("'.' and '..' are reserved");
        props.put("topic.prefix", "orders.by-day_1");
        assertThat(errors(props, "topic.prefix")).isEmpty();
    }

    @Test
    void aTablesTopicHasIllegalCharactersReplacedButMustNotBeTooLong() throws Exception {
        sql("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        var props = props();
        props.put("table.include.list", table);
        props.put("topic.prefix", "db one/");
        assertThat(errors(props, "topic.prefix")).as("characters a topic cannot hold become '_'").isEmpty();
        props.put("topic.prefix", "x".repeat(249 - table.length() + 1));
        assertThat(errors(props, "topic.prefix")).singleElement().asString()
                .contains("'topic.prefix' and table").contains(table).contains("longer than 249 characters");
        props.put("topic.prefix", "x".repeat(249 - table.length()));
        assertThat(errors(props, "topic.prefix")).isEmpty();
    }

    private static Map<String, String> props() {
        var props = new HashMap<String, String>();
        props.put("name", "topic-prefix-unit");
        props.put("connection.url", DB.url());
        props.put("connection.user", OutboxDatabases.user());
        props.put("connection.password", OutboxDatabases.password());
        props.put("mode", "bulk");
        return props;
    }

    private static List<String> errors(Map<String, String> props, String key) {
        return new JdbcSourceConnector().validate(props).configValues().stream().filter(v -> v.name().equals(key))
                .findFirst().map(ConfigValue::errorMessages).orElseThrow();
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DB.open(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
