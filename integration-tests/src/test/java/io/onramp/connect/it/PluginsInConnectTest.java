package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock worker with the packaged plugin on plugin.path sees every Onramp plugin and accepts every example.
 * Debezium's connectors are on plugin.path too, as users deploy them, for the examples that put Onramp's
 * transforms behind them (Debezium validates those against the local PostgreSQL).
 */
class PluginsInConnectTest {

    private static OnrampConnect connect;

    @TempDir
    Path dataRoot;

    @BeforeAll
    static void startConnect() {
        createExampleTables();
        connect = OnrampConnect.start("plugins", false, DebeziumPlugins.workerProps());
        JdbcExampleTables.create();
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
        TestDatabases.POSTGRES.dropTable(EXAMPLE_OUTBOX);
        TestDatabases.MARIADB.dropTable(EXAMPLE_OUTBOX);
    }

    /** The outbox table the outbox source examples name, in Debezium's layout, on both databases. */
    private static final String EXAMPLE_OUTBOX = "orders_outbox";

    private static void createExampleTables() {
        TestDatabases.POSTGRES.execute("CREATE TABLE IF NOT EXISTS " + EXAMPLE_OUTBOX + " (id BIGSERIAL PRIMARY KEY,"
                + " aggregatetype TEXT NOT NULL, aggregateid TEXT NOT NULL, type TEXT NOT NULL, payload JSONB,"
                + " created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        TestDatabases.MARIADB.execute("CREATE TABLE IF NOT EXISTS " + EXAMPLE_OUTBOX + " (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                + " aggregatetype VARCHAR(255) NOT NULL, aggregateid VARCHAR(255) NOT NULL, type VARCHAR(255) NOT NULL,"
                + " payload LONGTEXT, created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB");
    }

    @Test
    void connectorPluginsListsEveryOnrampPluginWithTheBuildVersion() throws Exception {
        Map<String, String> expected;
        try (PluginInventory plugin = PluginInventory.open()) {
            expected = plugin.compiledPlugins();
        }
        JsonNode listed = new ObjectMapper().readTree(connect.get("connector-plugins?connectorsOnly=false"));
        Map<String, JsonNode> byClass = new HashMap<>();
        listed.forEach(plugin -> byClass.put(plugin.path("class").asText(), plugin));

        expected.forEach((className, type) -> {
            assertThat(byClass).as("GET /connector-plugins lists %s", className).containsKey(className);
            JsonNode plugin = byClass.get(className);
            assertThat(plugin.path("type").asText()).isEqualTo(type.equals("transform") ? "transformation" : type);
            assertThat(plugin.path("version").asText()).isEqualTo(OnrampConnect.version());
        });
    }

    @Test
    void everyOnrampPluginHasAConfigExample() throws Exception {
        Map<String, String> plugins;
        try (PluginInventory plugin = PluginInventory.open()) {
            plugins = plugin.compiledPlugins();
        }
        var used = new java.util.TreeSet<String>();
        for (Path file : ConfigExamples.all()) {
            ConfigExamples.load(file, dataRoot).config().forEach((key, value) -> {
                if (key.equals("connector.class") || key.matches("transforms\\.[^.]+\\.type")) {
                    used.add(value);
                }
            });
        }
        assertThat(plugins.keySet()).isNotEmpty();
        assertThat(used).as("connector.class and transforms.*.type values across config-examples/")
                .containsAll(plugins.keySet());
    }

    @Test
    void everyConfigExampleValidatesAgainstTheRealWorker() {
        List<Path> examples = ConfigExamples.all();
        assertThat(examples).isNotEmpty();
        var failures = new ArrayList<String>();
        for (Path file : examples) {
            ConfigExamples.Example example;
            try {
                example = ConfigExamples.load(file, dataRoot.resolve(file.getFileName().toString())).createDirectories();
            } catch (AssertionError e) {
                failures.add(e.getMessage());
                continue;
            }
            if (example.connectorClass() == null) {
                failures.add(example.file() + " has no connector.class");
                continue;
            }
            ConfigInfos result;
            try {
                result = connect.cluster().validateConnectorConfig(example.connectorClass(),
                        example.with("name", example.name()).config());
            } catch (RuntimeException e) {
                failures.add(example.file() + ": the worker refused it: " + e.getMessage());
                continue;
            }
            for (ConfigInfo info : result.configs()) {
                // Debezium's validate() leaves some of its keys without a value: nothing to report there.
                if (info.configValue() != null && !info.configValue().errors().isEmpty()) {
                    failures.add(example.file() + ": " + info.configValue().name() + ": " + info.configValue().errors());
                }
            }
        }
        assertThat(failures).as("errors reported by PUT /connector-plugins/{class}/config/validate").isEmpty();
    }

    @Test
    void validationNamesTheKeyOfAConfigMistake() {
        var example = ConfigExamples.load("file-source-csv.json", dataRoot).createDirectories()
                .with("on.bad.record", "ignore")
                .with("input.path", dataRoot.resolve("missing").toString());
        ConfigInfos result = connect.cluster().validateConnectorConfig("FileSourceConnector", example.with("name", "x").config());
        Map<String, List<String>> errors = new HashMap<>();
        result.configs().forEach(info -> errors.put(info.configValue().name(), info.configValue().errors()));
        assertThat(errors.get("on.bad.record")).singleElement().asString().contains("on.bad.record");
        assertThat(errors.get("input.path")).singleElement().asString().contains("'input.path' must be an existing directory");
    }

    @Test
    void unreadableContractIsRefusedAtValidateTime() throws Exception {
        Path contract = Files.writeString(dataRoot.resolve("broken.avsc"), "{\"type\": \"record\", \"name\": ");
        var example = ConfigExamples.load("file-source-csv.json", dataRoot).createDirectories()
                .with("contract.file", contract.toString());
        ConfigInfos result = connect.cluster().validateConnectorConfig("FileSourceConnector", example.with("name", "x").config());
        List<String> errors = result.configs().stream().filter(info -> info.configValue().name().equals("contract.file"))
                .findFirst().orElseThrow().configValue().errors();
        assertThat(errors).singleElement().asString().contains("contract.file").contains("broken.avsc");
    }
}
