package io.onramp.connect.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.it.AvroFingerprint;
import io.onramp.connect.it.ConfigExamples;
import io.onramp.connect.it.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Connect versions README promises, proven: the packaged plugin in a Kafka Connect 3.9.1 worker process (the
 * oldest supported, from its own classpath) and in a 4.3.1 one runs the file source in snapshot mode on an
 * exactly-once worker, with the whole transform chain: ChangeEventUnwrap, ContractValidate, SchemaProject,
 * FieldProtect, ProductHeaders, ProductTopic.
 */
class ConnectVersionsTest {

    private static final String HEADER = "id,name,email,birth_date,balance,status,signed_up\n";
    private static final String HASH_KEY = "connect-versions-hash-key";

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.perClass();

    @TempDir
    static Path dataRoot;

    @Test
    void connect391RunsTheSnapshotSourceWithTheTransformChain() throws Exception {
        runsSnapshotWithTransforms(WorkerRuntime.connect39(), "connect391");
    }

    @Test
    void connect431RunsTheSnapshotSourceWithTheTransformChain() throws Exception {
        runsSnapshotWithTransforms(WorkerRuntime.current(), "connect431");
    }

    private void runsSnapshotWithTransforms(WorkerRuntime runtime, String name) throws Exception {
        String contracts = ConfigExamples.directory().resolve("contracts").toString();
        var example = ConfigExamples.load("file-source-snapshot.json", dataRoot.resolve(name)).createDirectories()
                .named(name).with("topic", name + ".raw").with("file.min.age.ms", "0")
                .with("transforms", "unwrap,validate,project,protect,headers,route")
                .with("transforms.unwrap.type", "io.onramp.connect.transforms.cdc.ChangeEventUnwrap")
                .with("transforms.unwrap.delete.tombstone.handling.mode", "delete-to-tombstone")
                .with("transforms.validate.type", "io.onramp.connect.transforms.contract.ContractValidate")
                .with("transforms.validate.on.invalid", "fail")
                .with("transforms.project.type", "io.onramp.connect.transforms.contract.SchemaProject")
                .with("transforms.protect.type", "io.onramp.connect.transforms.protect.FieldProtect$Value")
                .with("transforms.protect.classification", "pii")
                .with("transforms.protect.classification.mode", "hash")
                .with("transforms.protect.hash.key", HASH_KEY)
                .with("transforms.headers.type", "io.onramp.connect.transforms.product.ProductHeaders")
                .with("transforms.headers.connector.name", name)
                .with("transforms.route.type", "io.onramp.connect.transforms.product.ProductTopic")
                .with("transforms.route.topic.pattern", name + ".${domain}.${product}.v${major}");
        for (String transform : List.of("validate", "project", "protect", "headers", "route")) {
            example = example.with("transforms." + transform + ".contract.dir", contracts)
                    .with("transforms." + transform + ".contract.domain", "crm")
                    .with("transforms." + transform + ".contract.product", "customers")
                    .with("transforms." + transform + ".contract.version", "1");
        }
        String topic = name + ".crm.customers.v1";
        Path incoming = example.path("input.path");
        Path finished = example.path("finished.path");

        try (var worker = WorkerProcess.builder(name, broker).runtime(runtime).exactlyOnce(true).start()) {
            assertThat(worker.get("").path("version").asText()).isEqualTo(runtime.version());
            worker.createConnector(example.name(), example.config());
            worker.awaitRunning(example.name(), 1, Duration.ofSeconds(120));

            dump(incoming, "customers-20261101.csv", row(1, "Ada", "1.00"), row(2, "Grace", "2.00"), row(3, "Alan", "3.00"));
            awaitFile(finished.resolve("customers-20261101.csv"));
            dump(incoming, "customers-20261102.csv", row(1, "Ada", "1.00"), row(2, "Grace", "20.00"), row(4, "Edsger", "4.00"));
            awaitFile(finished.resolve("customers-20261102.csv"));

            List<ConsumerRecord<byte[], byte[]>> records = broker.readCommitted(topic);
            assertThat(records.stream().map(ConnectVersionsTest::op).toList())
                    .containsExactly("r:1", "r:2", "r:3", "u:2", "d:3", "c:4");
            assertThat(broker.readCommitted(name + ".raw")).as("everything routed to the product topic").isEmpty();
            for (var record : records) {
                assertThat(Records.header(record, "onramp.contract.version")).isEqualTo("1");
                assertThat(Records.header(record, "onramp.product")).contains("customers");
                assertThat(Records.header(record, "onramp.connector")).isEqualTo(name);
                assertThat(Records.header(record, "onramp.contract.fingerprint"))
                        .isEqualTo(AvroFingerprint.of(Path.of(contracts, "crm/customers/v1.avsc")));
            }
            assertThat(records.get(4).value()).as("the delete, unwrapped to a tombstone").isNull();
            var grace = Records.payload(records.get(3));
            assertThat(grace.path("balance").decimalValue()).isEqualByComparingTo("20.00");
            // The contract classifies email as pii: hashed with HMAC-SHA256 under hash.key. Expected digests from
            // Python: hmac.new(b"connect-versions-hash-key", email.encode(), hashlib.sha256).hexdigest()
            assertThat(grace.path("email").asText())
                    .isEqualTo("bfeaaf5a304954af5d502a284d28336d41a30cc89cbe60a9c51c5853dd2fd92f");
            assertThat(Records.payload(records.get(5)).path("email").asText())
                    .isEqualTo("f80afcdf496444bf7333e121476978e862294c3863396a8fece6b5bdbbdb5894");
        }
    }

    private static String op(ConsumerRecord<byte[], byte[]> record) {
        return Records.header(record, "onramp.op") + ":" + new String(record.key(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\\D", "");
    }

    private static String row(int id, String name, String balance) {
        return id + "," + name + "," + name.toLowerCase() + "@example.com,," + balance + ",ACTIVE,2024-01-01T00:00:00Z\n";
    }

    private static void dump(Path incoming, String fileName, String... rows) throws Exception {
        Path partial = incoming.resolve(fileName + ".tmp");
        Files.writeString(partial, HEADER + String.join("", rows));
        Files.move(partial, incoming.resolve(fileName));
    }

    private static void awaitFile(Path file) {
        KafkaBroker.await(file.getFileName() + " in " + file.getParent(), Duration.ofSeconds(180), () -> Files.exists(file));
    }
}
