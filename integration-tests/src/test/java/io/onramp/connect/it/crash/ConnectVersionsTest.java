package io.onramp.connect.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

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
 * exactly-once worker, with the data-product transform chain (ProductHeaders, ProductTopic).
 */
class ConnectVersionsTest {

    private static final String HEADER = "id,name,email,birth_date,balance,status,signed_up\n";

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
                .with("transforms", "headers,route")
                .with("transforms.headers.type", "io.onramp.connect.transforms.product.ProductHeaders")
                .with("transforms.headers.contract.dir", contracts)
                .with("transforms.headers.contract.domain", "crm")
                .with("transforms.headers.contract.product", "customers")
                .with("transforms.headers.contract.version", "1")
                .with("transforms.headers.connector.name", name)
                .with("transforms.route.type", "io.onramp.connect.transforms.product.ProductTopic")
                .with("transforms.route.contract.dir", contracts)
                .with("transforms.route.contract.domain", "crm")
                .with("transforms.route.contract.product", "customers")
                .with("transforms.route.contract.version", "1")
                .with("transforms.route.topic.pattern", name + ".${domain}.${product}.v${major}");
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
                assertThat(Records.header(record, "onramp.contract.fingerprint")).isNotBlank();
            }
            assertThat(Records.payload(records.get(3)).path("after").path("balance").decimalValue())
                    .isEqualByComparingTo("20.00");
        }
    }

    private static String op(ConsumerRecord<byte[], byte[]> record) {
        var payload = Records.payload(record);
        var row = payload.path("after").isNull() ? payload.path("before") : payload.path("after");
        return payload.path("op").asText() + ":" + row.path("id").asText();
    }

    private static String row(int id, String name, String balance) {
        return id + "," + name + ",,," + balance + ",ACTIVE,2024-01-01T00:00:00Z\n";
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
