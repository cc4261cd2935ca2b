package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JMX beans of the file source task and of the transforms, read through the platform MBeanServer of the JVM the
 * embedded worker runs in, while a connector runs; and gone once it is deleted.
 */
class JmxMetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String CONNECTOR = "metrics-chain";
    /** Orders 1 and 3 keep the contract; 2 (qty 0) and 4 (an invalid email) break it; one line has too few columns. */
    private static final String CSV = "id,customer_email,qty,status,amount,note\n"
            + "1,ada@example.com,2,NEW,19.90,leave at the door please\n"
            + "2,grace@example.com,0,PAID,5.00,\n"
            + "3,linus@example.com,7,SHIPPED,42.00,\n"
            + "this line has too few columns\n"
            + "4,not-an-email,1,NEW,1.00,\n";

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private static OnrampConnect connect;

    @TempDir
    static Path dataRoot;

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("jmx-metrics", false);
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    private static Object read(ObjectName name, String attribute) throws Exception {
        return JMX.getAttribute(name, attribute);
    }

    private static Set<ObjectName> onrampBeans() throws Exception {
        return JMX.queryNames(new ObjectName("io.onramp.connect:connector=" + CONNECTOR + ",*"), null);
    }

    @Test
    void fileSourceAndTransformCountersAreReadThroughJmxAndUnregisteredWithTheConnector() throws Exception {
        var example = ConfigExamples.load("product-sales-orders-v1.json", dataRoot).createDirectories()
                .with("file.min.age.ms", "0")
                .with("on.bad.record", "skip")
                .with("transforms.protect.hash.key", "jmx-test-key")
                .with("transforms.validate.connector.name", CONNECTOR)
                .with("transforms.protect.connector.name", CONNECTOR);
        Path file = Files.writeString(example.path("input.path").resolve("orders-2026-12-01.csv"), CSV);
        long bytes = CSV.getBytes(StandardCharsets.UTF_8).length;
        connect.create(CONNECTOR, example.config());
        connect.awaitRunning(CONNECTOR, 1);

        var task = new ObjectName("io.onramp.connect:type=file-source-task-metrics,connector=" + CONNECTOR + ",task=0");
        var validate = new ObjectName("io.onramp.connect:type=transform-metrics,connector=" + CONNECTOR
                + ",transform=ContractValidate,instance=0");
        var protect = new ObjectName("io.onramp.connect:type=transform-metrics,connector=" + CONNECTOR
                + ",transform=FieldProtect$Value,instance=0");
        await().atMost(TIMEOUT).until(() -> JMX.isRegistered(task) && Long.valueOf(1).equals(read(task, "FilesFinished")));

        assertThat(read(task, "FilesTaken")).isEqualTo(1L);
        assertThat(read(task, "FilesRejected")).isEqualTo(0L);
        assertThat(read(task, "BytesRead")).isEqualTo(bytes);
        assertThat(read(task, "RecordsRead")).as("5 lines below the header").isEqualTo(5L);
        assertThat(read(task, "RecordsSkipped")).isEqualTo(1L);
        assertThat(read(task, "RecordsWritten")).as("acknowledged by Kafka").isEqualTo(4L);
        assertThat(read(task, "RecordsQuarantined")).isEqualTo(0L);
        assertThat(read(task, "LastFile")).isEqualTo(file.getFileName().toString());
        assertThat((Long) read(task, "LastFileTime")).isPositive();
        assertThat(read(validate, "RecordsValidated")).isEqualTo(4L);
        assertThat(read(validate, "RecordsQuarantined")).isEqualTo(2L);
        assertThat(read(validate, "RecordsDropped")).isEqualTo(0L);
        assertThat(read(protect, "RecordsProtected")).as("the two valid orders; quarantined ones skip it").isEqualTo(2L);
        assertThat(read(protect, "FieldsProtected")).as("customer_email (pii, hashed) of both, note (truncated) of order 1; order 3 has no note")
                .isEqualTo(3L);
        assertThat(onrampBeans()).containsExactlyInAnyOrder(task, validate, protect);

        connect.restartConnectorAndTasks(CONNECTOR);
        connect.awaitRunning(CONNECTOR, 1);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(onrampBeans()).as("a restarted task leaves no bean behind").containsExactlyInAnyOrder(task, validate, protect);
            assertThat(read(task, "FilesTaken")).as("the restarted task's own bean").isEqualTo(0L);
        });

        connect.delete(CONNECTOR);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(onrampBeans()).as("beans after the connector is deleted").isEmpty());
    }

    /**
     * Snapshot mode over two dumps: the first is all reads; the second against it has, by construction, 2 inserts
     * (ids 5, 6), 1 update (id 2), 1 delete (id 3) and 2 unchanged rows (ids 1, 4). The bean counts exactly those.
     */
    @Test
    void snapshotDiffCountsAndDurationsAreReadThroughJmx() throws Exception {
        String connector = "metrics-snapshot";
        var example = ConfigExamples.load("file-source-snapshot.json", dataRoot.resolve("snapshot")).createDirectories()
                .named(connector).with("topic", "metrics.snapshot").with("file.min.age.ms", "0")
                .with("transaction.boundary", "poll"); // this worker is not exactly-once
        Path incoming = example.path("input.path");
        Path finished = example.path("finished.path");
        var task = new ObjectName("io.onramp.connect:type=file-source-task-metrics,connector=" + connector + ",task=0");
        connect.create(connector, example.config());
        connect.awaitRunning(connector, 1);

        dump(incoming, "customers-20261101.csv", row(1, "1.00"), row(2, "2.00"), row(3, "3.00"), row(4, "4.00"));
        await().atMost(TIMEOUT).until(() -> Files.exists(finished.resolve("customers-20261101.csv")));
        long secondWritten = System.nanoTime();
        dump(incoming, "customers-20261102.csv", row(1, "1.00"), row(2, "20.00"), row(4, "4.00"), row(5, "5.00"),
                row(6, "6.00"));
        await().atMost(TIMEOUT).until(() -> Files.exists(finished.resolve("customers-20261102.csv")));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(task, "SnapshotUnchanged"))
                .as("counted once the second dump is finished").isEqualTo(2L));
        long elapsedMillis = (System.nanoTime() - secondWritten) / 1_000_000;

        assertThat(read(task, "FilesFinished")).isEqualTo(2L);
        assertThat(read(task, "SnapshotReads")).as("the first dump, nothing to diff against").isEqualTo(4L);
        assertThat(read(task, "SnapshotInserts")).isEqualTo(2L);
        assertThat(read(task, "SnapshotUpdates")).isEqualTo(1L);
        assertThat(read(task, "SnapshotDeletes")).isEqualTo(1L);
        assertThat(read(task, "RecordsRead")).as("rows of both dumps").isEqualTo(9L);
        assertThat((Long) read(task, "LastSnapshotSortMillis")).as("milliseconds, within the second dump's time")
                .isBetween(0L, elapsedMillis);
        assertThat((Long) read(task, "LastSnapshotDiffMillis")).as("milliseconds, within the second dump's time")
                .isBetween(0L, elapsedMillis);
        assertThat(connect.readToEnd("metrics.snapshot", TIMEOUT, false)).as("4 reads, then 2 + 1 + 1 changes").hasSize(8);
        connect.delete(connector);
    }

    private static String row(int id, String balance) {
        return id + ",Customer " + id + ",,," + balance + ",ACTIVE,2024-01-01T00:00:00Z\n";
    }

    /** Writes a dump under a temporary name and renames it, the way exports should land. */
    private static void dump(Path incoming, String fileName, String... rows) throws Exception {
        Path partial = incoming.resolve(fileName + ".tmp");
        Files.writeString(partial, "id,name,email,birth_date,balance,status,signed_up\n" + String.join("", rows));
        Files.move(partial, incoming.resolve(fileName));
    }
}
