package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What validate() checks against the real database, each error on the key to fix; and the task split. */
class OutboxSourceConnectorTest {

    private final String table = OutboxDatabases.uniqueName("outboxconnectortest");

    @BeforeEach
    void createTables() throws SQLException {
        execute(OutboxDatabases.POSTGRES, "CREATE TABLE " + table + " (id UUID PRIMARY KEY, aggregatetype TEXT,"
                + " aggregateid TEXT, type TEXT, payload JSONB)");
        execute(OutboxDatabases.MARIADB, "CREATE TABLE " + table + " (id VARCHAR(36) PRIMARY KEY, aggregatetype TEXT,"
                + " aggregateid TEXT, type TEXT, payload TEXT)");
    }

    @AfterEach
    void dropTables() throws SQLException {
        execute(OutboxDatabases.POSTGRES, "DROP TABLE IF EXISTS " + table);
        execute(OutboxDatabases.MARIADB, "DROP TABLE IF EXISTS " + table);
    }

    @Test
    void aValidPostgresConfigHasNoErrors() {
        assertThat(errors(config(OutboxDatabases.POSTGRES))).isEmpty();
    }

    @Test
    void aMissingTableIsAnErrorOnOutboxTable() {
        var config = config(OutboxDatabases.POSTGRES);
        config.put("outbox.table", table + "_missing");

        assertThat(errors(config)).containsOnlyKeys("outbox.table");
        assertThat(errors(config).get("outbox.table")).singleElement().asString().contains("'outbox.table'").contains("_missing");
    }

    @Test
    void aMissingColumnIsAnErrorOnTheKeyThatNamesIt() {
        var config = config(OutboxDatabases.POSTGRES);
        config.put("route.by.field", "aggregate_type");
        config.put("table.fields.additional.placement", "tenant:header");

        var errors = errors(config);

        assertThat(errors).containsOnlyKeys("route.by.field", "table.fields.additional.placement");
        assertThat(errors.get("route.by.field")).singleElement().asString().contains("'aggregate_type'")
                .as("the columns the table has, in the order of its CREATE TABLE")
                .contains("(it has id, aggregatetype, aggregateid, type, payload)");
        assertThat(errors.get("table.fields.additional.placement")).singleElement().asString().contains("'tenant'");
    }

    @Test
    void onMariaDbTheIdMustBeAnInteger() {
        var errors = errors(config(OutboxDatabases.MARIADB));

        assertThat(errors).containsOnlyKeys("table.field.event.id");
        assertThat(errors.get("table.field.event.id")).singleElement().asString().contains("auto-increment integer");
    }

    @Test
    void aWrongPasswordIsAnErrorWithoutThePassword() {
        var config = config(OutboxDatabases.MARIADB);
        config.put("connection.password", "not-the-Secret-42");

        var errors = errors(config);

        assertThat(errors).containsOnlyKeys("connection.user");
        assertThat(errors.get("connection.user")).singleElement().asString().doesNotContain("not-the-Secret-42");
    }

    @Test
    void aDatabaseOtherThanPostgresOrMariaDbIsRefusedOnTheUrl() {
        var config = config(OutboxDatabases.POSTGRES);
        config.put("connection.url", "jdbc:h2:mem:outbox");

        assertThat(errors(config)).containsOnlyKeys("connection.url");
    }

    @Test
    void runsOneTaskWhateverTasksMaxSaysAndSupportsExactlyOnce() {
        var connector = new OutboxSourceConnector();
        var config = config(OutboxDatabases.POSTGRES);
        connector.start(config);

        assertThat(connector.taskConfigs(4)).hasSize(1);
        assertThat(connector.exactlyOnceSupport(config)).isEqualTo(ExactlyOnceSupport.SUPPORTED);
    }

    private Map<String, String> config(OutboxDatabases db) {
        var config = new HashMap<String, String>();
        config.put("name", "outbox-test");
        config.put("connection.url", db.url());
        config.put("connection.user", OutboxDatabases.user());
        config.put("connection.password", OutboxDatabases.password());
        config.put("outbox.table", table);
        return config;
    }

    private static Map<String, List<String>> errors(Map<String, String> config) {
        var errors = new HashMap<String, List<String>>();
        new OutboxSourceConnector().validate(config).configValues().forEach(value -> {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        });
        return errors;
    }

    private static void execute(OutboxDatabases db, String sql) throws SQLException {
        try (Connection c = db.open(); var s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
