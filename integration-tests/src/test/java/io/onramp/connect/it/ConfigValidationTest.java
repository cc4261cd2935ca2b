package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes that span keys, of the file source and of the Onramp transforms in the chain of every Onramp connector,
 * are reported on the key at fault by the real {@code PUT /connector-plugins/{class}/config/validate}, before a
 * connector is created.
 */
class ConfigValidationTest {

    private static OnrampConnect connect;

    @TempDir
    Path dataRoot;

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("config-validation", false);
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    /** The errors PUT .../config/validate reports, by key; keys without errors left out. */
    private static Map<String, List<String>> errors(ConfigExamples.Example example) {
        ConfigInfos result = connect.cluster().validateConnectorConfig(example.connectorClass(),
                example.with("name", example.name()).config());
        Map<String, List<String>> errors = new HashMap<>();
        result.configs().forEach(info -> {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        });
        assertThat(result.errorCount()).as("the error count matches the errors listed: %s", errors)
                .isEqualTo(errors.values().stream().mapToInt(List::size).sum());
        return errors;
    }

    @Test
    void snapshotFieldsTheContractLacksAndPartialWithFailAreErrorsOnTheirKeys() {
        var snapshot = ConfigExamples.load("file-source-snapshot.json", dataRoot).createDirectories();
        assertThat(errors(snapshot)).as("the example as shipped").isEmpty();

        var unknownFields = snapshot.with("snapshot.key.fields", "customer_id").with("snapshot.ignore.fields", "exported_at");
        Map<String, List<String>> fieldErrors = errors(unknownFields);
        assertThat(fieldErrors).containsOnlyKeys("snapshot.key.fields", "snapshot.ignore.fields");
        assertThat(fieldErrors.get("snapshot.key.fields")).singleElement().asString()
                .contains("'customer_id'").contains("record schema lacks");
        assertThat(fieldErrors.get("snapshot.ignore.fields")).singleElement().asString().contains("'exported_at'");

        Map<String, List<String>> partialErrors = errors(snapshot.with("snapshot.allow.partial", "true"));
        assertThat(partialErrors).containsOnlyKeys("snapshot.allow.partial");
        assertThat(partialErrors.get("snapshot.allow.partial")).singleElement().asString()
                .contains("'snapshot.allow.partial'").contains("'on.bad.record' is fail");
    }

    @Test
    void crossKeyMistakesOfOnrampTransformsAreErrorsOnTheTransformsKeys() {
        var chain = ConfigExamples.load("product-sales-orders-v1.json", dataRoot).createDirectories();
        assertThat(errors(chain)).as("the example as shipped").isEmpty();

        var mistakes = chain
                .with("transforms.validate.contract.product", "ordres")          // no such product in contract.dir
                .with("transforms.route.contract.version", "7")                  // no such version
                .with("transforms.protect.fields", "note:hash")                  // hashing without a key:
                .with("transforms.protect.hash.key", "");                         //   a rule between two keys
        Map<String, List<String>> errors = errors(mistakes);

        assertThat(errors).containsOnlyKeys("transforms.validate.contract.product", "transforms.route.contract.version",
                "transforms.protect.hash.key");
        assertThat(errors.get("transforms.validate.contract.product")).singleElement().asString()
                .contains("sales.ordres");
        assertThat(errors.get("transforms.route.contract.version")).singleElement().asString().contains("version 7");
        assertThat(errors.get("transforms.protect.hash.key")).singleElement().asString()
                .contains("'hash.key' must be set when a field is protected with hash");
    }

    @Test
    void perKeyChecksOfTransformsAreConnectsOwnValidation() {
        var chain = ConfigExamples.load("product-sales-orders-v1.json", dataRoot).createDirectories()
                .with("transforms.headers.contract.file", dataRoot.resolve("no-such.avsc").toString())
                .with("transforms.protect.fields", "note:scramble")
                .with("transforms.protect.on.missing.field", "sometimes");
        Map<String, List<String>> errors = errors(chain);

        assertThat(errors).containsOnlyKeys("transforms.headers.contract.file", "transforms.protect.fields",
                "transforms.protect.on.missing.field");
        assertThat(errors.get("transforms.headers.contract.file")).singleElement().asString()
                .contains("readable contract file");
        assertThat(errors.get("transforms.protect.fields")).singleElement().asString().contains("scramble");
    }

    /**
     * Each Onramp connector, as its example ships, plus a chain of a Kafka transform and two Onramp transforms
     * that each break a rule between their keys: every connector reports both on the transform's own key, and
     * nothing else.
     */
    @Test
    void everyOnrampConnectorReportsTheCrossKeyMistakesOfItsOnrampTransforms() {
        JdbcExampleTables.create();
        try (var outbox = TestDatabases.POSTGRES.createTable("validation_outbox", "id BIGSERIAL PRIMARY KEY,"
                + " aggregatetype TEXT NOT NULL, aggregateid TEXT NOT NULL, type TEXT NOT NULL, payload JSONB,"
                + " created_at TIMESTAMPTZ NOT NULL DEFAULT now()")) {
            List<ConfigExamples.Example> connectors = List.of(
                    ConfigExamples.load("file-source-csv.json", dataRoot.resolve("file")).createDirectories(),
                    ConfigExamples.load("jdbc-source-postgresql-incrementing.json", dataRoot),
                    ConfigExamples.load("outbox-source-postgresql.json", dataRoot).with("outbox.table", "public." + outbox.name()),
                    ConfigExamples.load("jdbc-sink-postgresql.json", dataRoot),
                    ConfigExamples.load("snapshot-export-csv.json", dataRoot.resolve("export")).createDirectories());
            assertThat(connectors).extracting(ConfigExamples.Example::connectorClass).as("one example of each connector")
                    .doesNotHaveDuplicates().hasSize(5);
            String contracts = ConfigExamples.directory().resolve("contracts").toString();
            for (ConfigExamples.Example connector : connectors) {
                assertThat(errors(connector)).as("%s as shipped", connector.file()).isEmpty();
                var withChain = connector
                        .with("transforms", "stamp,protect,route")
                        .with("transforms.stamp.type", "org.apache.kafka.connect.transforms.InsertField$Value")
                        .with("transforms.stamp.static.field", "loaded_by")
                        .with("transforms.stamp.static.value", "onramp")
                        .with("transforms.protect.type", "io.onramp.connect.transforms.protect.FieldProtect$Value")
                        .with("transforms.protect.fields", "note:hash")                  // hashing, and no hash.key
                        .with("transforms.route.type", "io.onramp.connect.transforms.product.ProductTopic")
                        .with("transforms.route.contract.dir", contracts)
                        .with("transforms.route.contract.domain", "sales")
                        .with("transforms.route.contract.product", "orders")
                        .with("transforms.route.contract.version", "7");                 // not in contract.dir
                Map<String, List<String>> errors = errors(withChain);

                assertThat(errors).as(connector.file()).containsOnlyKeys("transforms.protect.hash.key",
                        "transforms.route.contract.version");
                assertThat(errors.get("transforms.protect.hash.key")).as(connector.file()).singleElement().asString()
                        .contains("'hash.key' must be set when a field is protected with hash");
                assertThat(errors.get("transforms.route.contract.version")).as(connector.file()).singleElement()
                        .asString().contains("version 7");
            }
        }
    }
}
