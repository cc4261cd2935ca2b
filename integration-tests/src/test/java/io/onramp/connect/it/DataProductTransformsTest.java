package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-product transforms, packaged, in a real worker: the file source feeding
 * ContractValidate -> FieldProtect -> ProductHeaders -> ProductTopic (and SchemaProject for v2), configured
 * from config-examples through REST.
 */
class DataProductTransformsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String HASH_KEY = "it-hash-key";
    private static final String CSV = "id,customer_email,qty,status,amount,note\n"
            + "1,ada@example.com,2,NEW,19.90,leave at the door please\n"
            + "2,grace@example.com,0,PAID,5.00,\n"
            + "3,linus@example.com,7,SHIPPED,42.00,\n"
            + "4,not-an-email,1,NEW,1.00,\n";

    private static OnrampConnect connect;

    @TempDir
    static Path dataRoot;

    private static Path secrets;

    @BeforeAll
    static void startConnect() throws Exception {
        // The hash key reaches FieldProtect through the worker's FileConfigProvider, as in production.
        secrets = Files.writeString(dataRoot.resolve("onramp-secrets.properties"), "hash.key=" + HASH_KEY + "\n");
        connect = OnrampConnect.start("data-products", false, Map.of(
                "config.providers", "file",
                "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider"));
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    private static ConfigExamples.Example example(String file, String dir) {
        return ConfigExamples.load(file, dataRoot.resolve(dir)).createDirectories()
                .with("file.min.age.ms", "0")
                .with("transforms.protect.hash.key", "${file:" + secrets + ":hash.key}");
    }

    /** The records a file source read from {@code fileName} (its header survives the chain). */
    private static List<ConsumerRecord<byte[], byte[]>> fromFile(List<ConsumerRecord<byte[], byte[]>> records, String fileName) {
        return records.stream().filter(r -> fileName.equals(Records.header(r, "onramp.file.name"))).toList();
    }

    private static String hmac(String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HASH_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void validatesProtectsLabelsAndRoutesValidRecordsAndQuarantinesInvalidOnes() throws Exception {
        var example = example("product-sales-orders-v1.json", "chain");
        Files.writeString(example.path("input.path").resolve("orders-2026-11-25.csv"), CSV);
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);
        assertThat(connect.get("connectors/" + example.name() + "/config"))
                .as("the REST API shows the provider reference, never the key").contains("${file:").doesNotContain(HASH_KEY);

        await().atMost(TIMEOUT).until(() -> Files.exists(example.path("finished.path").resolve("orders-2026-11-25.csv")));
        List<ConsumerRecord<byte[], byte[]>> valid = fromFile(connect.readToEnd("sales.orders.v1", TIMEOUT, false),
                "orders-2026-11-25.csv");
        assertThat(valid).extracting(r -> Records.payload(r).path("id").asLong()).containsExactly(1L, 3L);
        JsonNode ada = Records.payload(valid.get(0));
        assertThat(ada.path("customer_email").asText()).isEqualTo(hmac("ada@example.com"));
        assertThat(ada.path("note").asText()).isEqualTo("leave at the door pl");
        ConsumerRecord<byte[], byte[]> first = valid.get(0);
        assertThat(Records.header(first, "onramp.product")).isEqualTo("sales.orders");
        assertThat(Records.header(first, "onramp.contract.version")).isEqualTo("1");
        assertThat(Records.header(first, "onramp.contract.fingerprint"))
                .isEqualTo(AvroFingerprint.of(ConfigExamples.directory().resolve("contracts/sales/orders/v1.avsc")));
        assertThat(Records.header(first, "onramp.owner")).isEqualTo("sales-data@example.com");
        assertThat(Records.header(first, "onramp.classification")).isEqualTo("pii");
        assertThat(Records.header(first, "onramp.source.system")).isEqualTo("webshop-order-export");
        assertThat(Records.header(first, "onramp.connector")).isEqualTo("sales-orders-v1");
        assertThat(Records.header(first, "onramp.capture.ts")).isNotBlank();
        assertThat(Records.header(first, "onramp.deprecated")).isEqualTo("true");
        assertThat(Records.header(first, "onramp.sunset")).isEqualTo("2027-06-30");

        List<ConsumerRecord<byte[], byte[]>> quarantined = connect.readToEnd("sales.orders.raw.quarantine", TIMEOUT, false);
        assertThat(quarantined).extracting(r -> Records.payload(r).path("id").asLong()).containsExactly(2L, 4L);
        assertThat(quarantined).extracting(r -> Records.header(r, "onramp.quarantine.rule")).containsExactly("min", "pattern");
        assertThat(quarantined).extracting(r -> Records.header(r, "onramp.quarantine.field"))
                .containsExactly("qty", "customer_email");
        assertThat(Records.header(quarantined.get(0), "onramp.quarantine.reason")).contains("'qty'", "minimum 1");
        connect.delete(example.name());
    }

    @Test
    void twoConnectorsOverOneExportFeedV1AndV2DuringTheUpgradeWindow() throws Exception {
        var v1 = example("product-sales-orders-v1.json", "dual-v1").with("topic", "dual.raw.v1");
        var v2 = example("product-sales-orders-v2.json", "dual-v2").with("topic", "dual.raw.v2");
        Files.writeString(v1.path("input.path").resolve("orders-dual.csv"), CSV);
        Files.writeString(v2.path("input.path").resolve("orders-dual.csv"), CSV);
        connect.create(v1.name() + "-dual", v1.config());
        connect.create(v2.name() + "-dual", v2.config());

        await().atMost(TIMEOUT).until(() -> Files.exists(v1.path("finished.path").resolve("orders-dual.csv"))
                && Files.exists(v2.path("finished.path").resolve("orders-dual.csv")));
        var oldVersion = fromFile(connect.readToEnd("sales.orders.v1", TIMEOUT, false), "orders-dual.csv");
        var newVersion = fromFile(connect.readToEnd("sales.orders.v2", TIMEOUT, false), "orders-dual.csv");

        assertThat(newVersion).extracting(r -> Records.payload(r).path("id").asLong()).containsExactly(1L, 3L);
        JsonNode ada = Records.payload(newVersion.get(0));
        assertThat(ada.path("contact_email").asText()).isEqualTo(hmac("ada@example.com"));
        assertThat(ada.has("customer_email")).isFalse();
        assertThat(ada.has("note")).isFalse();
        assertThat(ada.path("channel").asText()).isEqualTo("web");
        assertThat(Records.fieldSchema(newVersion.get(0), "qty").path("type").asText()).isEqualTo("int64");
        assertThat(Records.header(newVersion.get(0), "onramp.contract.version")).isEqualTo("2");
        assertThat(Records.header(newVersion.get(0), "onramp.deprecated")).isNull();
        assertThat(oldVersion).extracting(r -> Records.payload(r).path("id").asLong()).containsExactly(1L, 3L);
        assertThat(Records.header(oldVersion.get(0), "onramp.deprecated")).isEqualTo("true");
        connect.delete(v1.name() + "-dual");
        connect.delete(v2.name() + "-dual");
    }

    @Test
    void anIncompatibleContractVersionIsRefusedByValidateNamingVersionsAndField() throws Exception {
        Path contracts = dataRoot.resolve("contracts");
        try (Stream<Path> files = Files.walk(ConfigExamples.directory().resolve("contracts"))) {
            for (Path source : files.toList()) {
                Path target = contracts.resolve(ConfigExamples.directory().resolve("contracts").relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        String v2 = Files.readString(contracts.resolve("sales/orders/v2.avsc"));
        Files.writeString(contracts.resolve("sales/orders/v3.avsc"),
                v2.replace("{\"name\": \"qty\", \"type\": \"long\"", "{\"name\": \"qty\", \"type\": \"string\""));
        var example = example("product-sales-orders-v1.json", "incompatible")
                .with("transforms.route.contract.dir", contracts.toString());

        ConfigInfos result = connect.cluster().validateConnectorConfig("FileSourceConnector",
                example.with("name", "incompatible").config());

        Map<String, List<String>> errors = new java.util.HashMap<>();
        result.configs().forEach(info -> errors.put(info.configValue().name(), info.configValue().errors()));
        assertThat(errors.get("transforms.route.contract.dir")).singleElement().asString()
                .contains("sales.orders v3 is not backward compatible with v2", "field 'qty'");
        assertThat(errors.get("transforms.validate.contract.dir")).isEmpty();
    }
}
