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
 * The outbox source under 8 concurrent writers whose transactions commit out of id order (a random wait between
 * taking the id and committing, some rolled back), on the real databases, in a Connect cluster with exactly-once
 * source support, deleting delivered rows as it goes: every committed event arrives exactly once, each aggregate's
 * events in commit order, and the table ends empty.
 */
class OutboxSourceConcurrencyTest {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSourceConcurrencyTest.class);

    private static final int EVENTS = 20_000;
    private static final int WRITERS = 8;

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
        try (var fixture = OutboxFixture.create(db, prefix, 200)) {
            var example = fixture.connector(prefix, dataRoot);
            connect.create(example.name(), example.config());
            connect.awaitRunning(example.name(), 1);

            long start = System.nanoTime();
            // On MariaDB every writer may write every aggregate: the id is taken under the aggregate's lock, so id order
            // is commit order per aggregate even when transactions contend for it. On PostgreSQL order comes from
            // transaction ids, which contending transactions may take in either order (README): each aggregate
            // belongs to one writer there, whose transactions follow one another.
            var written = fixture.write(WRITERS, EVENTS, 4, 100, db == TestDatabases.MARIADB);
            long writing = System.nanoTime() - start;
            fixture.writeEndMarker();

            var records = connect.readAtLeast(fixture.topic(), EVENTS + 1, Duration.ofSeconds(180), true, Duration.ZERO);
            long total = System.nanoTime() - start;
            LOG.info("{}: {} events committed by {} writers ({} rolled back) in {} ms; {} records read {} ms after the"
                    + " first write", db, written.events().size(), WRITERS, written.rolledBack(), writing / 1_000_000,
                    records.size(), total / 1_000_000);
            assertThat(records).as("committed events and the end marker").hasSize(EVENTS + 1);
            OutboxFixture.assertExactlyOnceInOrder(records, written);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(fixture.rowCount()).as("rows left after their offsets were committed")
                            .isZero());
            connect.delete(example.name());
        }
    }
}
