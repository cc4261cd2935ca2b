package io.onramp.connect.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.it.OutboxFixture;
import io.onramp.connect.it.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox source's worker process killed with SIGKILL while it delivers (8 writers still committing out of id
 * order, delivered rows being deleted after each commit), then a new worker JVM taking over: nothing is lost, and
 * with exactly-once workers nothing is duplicated; the rows end deleted.
 */
class OutboxCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxCrashTest.class);

    private static final int EVENTS = 5_000;

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.perClass();

    @TempDir
    static Path dataRoot;

    @Test
    void postgresExactlyOnceWorkerKilledMidPollLosesAndDuplicatesNothing() throws Exception {
        var result = killMidPollAndResume(TestDatabases.POSTGRES, "outboxcrashpg", true);

        assertThat(result.duplicates).as("events delivered twice").isZero();
        assertThat(result.records).isEqualTo(EVENTS + 1);
    }

    @Test
    void mariaDbAtLeastOnceWorkerKilledMidPollLosesNothing() throws Exception {
        var result = killMidPollAndResume(TestDatabases.MARIADB, "outboxcrashmaria", false);

        // Without transactions, what was sent after the last offset flush (every 500 ms) before the kill comes again.
        assertThat(result.duplicates).as("duplicates").isLessThan(EVENTS / 2);
        assertThat(result.records).isEqualTo(EVENTS + 1 + result.duplicates);
    }

    private record Result(int records, int duplicates) {
    }

    private Result killMidPollAndResume(TestDatabases db, String cluster, boolean exactlyOnce) throws Exception {
        try (var fixture = OutboxFixture.create(db, cluster, 40)) {
            var example = fixture.connector(cluster, dataRoot);
            String topic = fixture.topic();
            CompletableFuture<OutboxFixture.Written> writing;
            long writtenAtKill;
            try (var first = WorkerProcess.builder(cluster, broker).exactlyOnce(exactlyOnce)
                    .startTimeout(Duration.ofSeconds(300)).start()) {
                first.createConnector(example.name(), example.config());
                first.awaitRunning(example.name(), 1, Duration.ofSeconds(90));
                writing = CompletableFuture.supplyAsync(() -> {
                    try {
                        return fixture.write(8, EVENTS, 4, 100);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                KafkaBroker.await("500 events delivered", Duration.ofSeconds(180), () -> broker.written(topic) >= 500);
                first.kill();
                writtenAtKill = broker.written(topic);
            }
            assertThat(writtenAtKill).as("the worker dies in the middle of the outbox").isLessThan(EVENTS);
            try (var second = WorkerProcess.builder(cluster, broker).exactlyOnce(exactlyOnce)
                    .startTimeout(Duration.ofSeconds(300)).start()) {
                second.awaitRunning(example.name(), 1, Duration.ofSeconds(180));
                var written = writing.get(5, TimeUnit.MINUTES);
                fixture.writeEndMarker();
                KafkaBroker.await("the end marker delivered", Duration.ofSeconds(180), () -> {
                    var records = broker.readCommitted(topic);
                    return !records.isEmpty() && OutboxFixture.isEndMarker(records.get(records.size() - 1));
                });
                var records = broker.readCommitted(topic);
                int duplicates = OutboxFixture.assertNoneLostInOrder(records, written);
                if (exactlyOnce) {
                    OutboxFixture.assertExactlyOnceInOrder(records, written);
                }
                KafkaBroker.await("the delivered rows deleted", Duration.ofSeconds(60), () -> rowCount(fixture) == 0);
                LOG.info("{} ({}): killed with {} records written; after the restart {} records read for {} committed events"
                        + " ({} rolled back, {} versions with a smaller transaction id than the version before): {} duplicates,"
                        + " 0 missing", db, exactlyOnce ? "exactly once" : "at least once", writtenAtKill, records.size(),
                        written.events().size(), written.rolledBack(), written.xidInversions(), duplicates);
                second.deleteConnector(example.name());
                return new Result(records.size(), duplicates);
            }
        }
    }

    private static int rowCount(OutboxFixture fixture) {
        try {
            return fixture.rowCount();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
