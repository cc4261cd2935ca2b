package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox source under 8 concurrent writers that contend for 40 aggregates' locks and whose transactions commit
 * out of id order (random waits between taking the transaction id and the lock, and between taking the event id
 * and committing; some rolled back), on the real databases, in a Connect cluster with exactly-once
 * source support, deleting delivered rows as it goes: every committed event arrives exactly once, each aggregate's
 * events in commit order, and the table ends empty.
 */
class OutboxSourceConcurrencyTest {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSourceConcurrencyTest.class);

    private static final int EVENTS = 20_000;
    private static final int WRITERS = 8;
    /** Few enough that the 8 writers often want the same aggregate at once. */
    private static final int AGGREGATES = 40;

    private static OnrampConnect connect;

    @TempDir
    static Path dataRoot;

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("outbox-concurrency", true);
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    @Test
    void postgresEveryCommittedEventExactlyOnceInCommitOrderPerAggregate() throws Exception {
        runWriters(TestDatabases.POSTGRES, "outboxconcpg");
    }

    @Test
    void mariaDbEveryCommittedEventExactlyOnceInCommitOrderPerAggregate() throws Exception {
        runWriters(TestDatabases.MARIADB, "outboxconcmaria");
    }

    private void runWriters(TestDatabases db, String prefix) throws Exception {
        try (var fixture = OutboxFixture.create(db, prefix, AGGREGATES)) {
            var example = fixture.connector(prefix, dataRoot);
            connect.create(example.name(), example.config());
            connect.awaitRunning(example.name(), 1);

            long start = System.nanoTime();
            // Every writer writes every aggregate, so transactions contend for an aggregate's lock; on PostgreSQL a
            // transaction takes its transaction id before it waits for the lock, so the later version often carries
            // the smaller transaction id.
            var written = fixture.write(WRITERS, EVENTS, 4, 100);
            long writing = System.nanoTime() - start;
            fixture.writeEndMarker();

            // The positive end signal: the task deletes a row only once its record's offset is committed, so an
            // empty outbox means every event and the end marker are in the topic. Read to its end only then, so that
            // a duplicate sent at any time before shows in the exact count.
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(fixture.rowCount()).as("rows left after their offsets were committed")
                            .isZero());
            long total = System.nanoTime() - start;
            var records = connect.readToEnd(fixture.topic(), Duration.ofSeconds(60), true);
            LOG.info("{}: {} events committed by {} writers ({} rolled back, {} versions with a smaller transaction id"
                    + " than the version before) in {} ms; the outbox empty {} ms after the first write, {} records",
                    db, written.events().size(), WRITERS, written.rolledBack(), written.xidInversions(), writing / 1_000_000,
                    total / 1_000_000, records.size());
            if (db == TestDatabases.POSTGRES) {
                assertThat(written.xidInversions()).as("the writers contended as intended").isPositive();
            }
            assertThat(records).as("committed events and the end marker, each once").hasSize(EVENTS + 1);
            OutboxFixture.assertExactlyOnceInOrder(records, written);
            connect.delete(example.name());
        }
    }
}
