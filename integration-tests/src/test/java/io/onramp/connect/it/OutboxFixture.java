package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An outbox table in Debezium's layout (id, aggregatetype, aggregateid, type, payload, created_at) and an aggregate
 * table, on a real database, with writers that behave like an application using the outbox pattern: each
 * transaction takes its transaction id, waits, locks its aggregate and bumps its version, inserts one event
 * carrying that version (the event id is taken there), waits a random time, then commits or, sometimes, rolls
 * back. Several writers write the same aggregates. An aggregate's committed events thus have versions 1, 2, 3...
 * in commit order, which is what a consumer must see.
 */
public final class OutboxFixture implements AutoCloseable {

    public static final String END = "end";

    private final TestDatabases db;
    public final String outbox;
    public final String aggregates;
    public final String aggregateType;

    private OutboxFixture(TestDatabases db, String prefix) {
        this.db = db;
        this.outbox = TestDatabases.uniqueName(prefix + "_outbox");
        this.aggregates = TestDatabases.uniqueName(prefix + "_aggregates");
        this.aggregateType = TestDatabases.uniqueName(prefix);
    }

    public static OutboxFixture create(TestDatabases db, String prefix, int aggregateCount) {
        var fixture = new OutboxFixture(db, prefix);
        if (db == TestDatabases.POSTGRES) {
            db.execute("CREATE TABLE " + fixture.outbox + " (id BIGSERIAL PRIMARY KEY, aggregatetype TEXT NOT NULL,"
                    + " aggregateid TEXT NOT NULL, type TEXT NOT NULL, payload JSONB, created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        } else {
            db.execute("CREATE TABLE " + fixture.outbox + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, aggregatetype VARCHAR(255) NOT NULL,"
                    + " aggregateid VARCHAR(255) NOT NULL, type VARCHAR(255) NOT NULL, payload LONGTEXT,"
                    + " created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB");
        }
        db.execute("CREATE TABLE " + fixture.aggregates + " (id VARCHAR(64) PRIMARY KEY, version INT NOT NULL)");
        var values = new StringBuilder();
        for (int i = 0; i < aggregateCount; i++) {
            values.append(i == 0 ? "" : ",").append("('a").append(i).append("', 0)");
        }
        db.execute("INSERT INTO " + fixture.aggregates + " VALUES " + values);
        return fixture;
    }

    /** The connection keys and the table, over the example config of this database's outbox source. */
    public ConfigExamples.Example connector(String name, java.nio.file.Path dataRoot) {
        String file = db == TestDatabases.POSTGRES ? "outbox-source-postgresql.json" : "outbox-source-mariadb.json";
        var example = ConfigExamples.load(file, dataRoot).named(name);
        for (var entry : db.connectionProps().entrySet()) {
            example = example.with(entry.getKey(), entry.getValue());
        }
        return example.with("outbox.table", outbox)
                .with("topic.creation.default.replication.factor", "1")
                .with("topic.creation.default.partitions", "1");
    }

    public String topic() {
        return "outbox.event." + aggregateType;
    }

    /**
     * What the writers committed: event numbers, each aggregate's last version, and (PostgreSQL) how many times an
     * aggregate's next version was written by a transaction whose transaction id is smaller than the previous
     * version's: the contention a reader in transaction-id order gets wrong.
     */
    public record Written(Set<Integer> events, Map<String, Integer> versions, int rolledBack, int xidInversions) {
    }

    /**
     * Runs {@code writers} threads until {@code events} events are committed. Any writer may write any aggregate,
     * so transactions of one aggregate contend for its lock; each takes its transaction id first (PostgreSQL) and
     * waits a random time before it asks for the lock, so a transaction that waited for the lock often holds the
     * smaller transaction id.
     *
     * @param maxDelayMs    the longest wait between taking the transaction id and the lock, and between inserting
     *                      (taking the event id) and committing
     * @param rollbackEvery about one transaction in this many rolls back (0: none)
     */
    public Written write(int writers, int events, int maxDelayMs, int rollbackEvery) throws Exception {
        var committed = ConcurrentHashMap.<Integer>newKeySet();
        var xidByVersion = new ConcurrentHashMap<String, Long>();
        var slots = new AtomicInteger(events);
        var numbers = new AtomicInteger();
        var rolledBack = new AtomicInteger();
        int aggregateCount = countAggregates();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                futures.add(pool.submit(() -> {
                    try (Connection c = db.open()) {
                        c.setAutoCommit(false);
                        var random = ThreadLocalRandom.current();
                        while (true) {
                            boolean rollback = rollbackEvery > 0 && random.nextInt(rollbackEvery) == 0;
                            if (!rollback && slots.getAndDecrement() <= 0) {
                                return null;
                            }
                            String aggregate = "a" + random.nextInt(aggregateCount);
                            int number = numbers.incrementAndGet();
                            long[] xidAndVersion = writeOne(c, aggregate, number, random.nextInt(maxDelayMs + 1),
                                    random.nextInt(maxDelayMs + 1), rollback);
                            if (rollback) {
                                rolledBack.incrementAndGet();
                            } else {
                                committed.add(number);
                                xidByVersion.put(aggregate + "@" + xidAndVersion[1], xidAndVersion[0]);
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(committed).hasSize(events);
        Map<String, Integer> versions = committedVersions();
        int inversions = 0;
        for (var entry : versions.entrySet()) {
            for (int v = 2; v <= entry.getValue(); v++) {
                Long previous = xidByVersion.get(entry.getKey() + "@" + (v - 1));
                Long current = xidByVersion.get(entry.getKey() + "@" + v);
                if (previous != null && current != null && current > 0 && current < previous) {
                    inversions++;
                }
            }
        }
        return new Written(Set.copyOf(committed), versions, rolledBack.get(), inversions);
    }

    /**
     * One transaction: take a transaction id, wait, lock the aggregate (SELECT ... FOR UPDATE) and bump its version,
     * insert the event (the event id is taken there, under the lock), wait, commit or roll back. Returns the
     * transaction id (PostgreSQL; 0 elsewhere) and the version written.
     */
    private long[] writeOne(Connection c, String aggregate, int number, int lockDelayMs, int commitDelayMs,
            boolean rollback) throws Exception {
        String json = db == TestDatabases.POSTGRES ? "jsonb_build_object('event', CAST(? AS int), 'aggregate', CAST(? AS text), 'version', version)"
                : "JSON_OBJECT('event', ?, 'aggregate', ?, 'version', version)";
        while (true) {
            try {
                long xid = 0;
                if (db == TestDatabases.POSTGRES) {
                    try (var s = c.createStatement(); var rows = s.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
                        rows.next();
                        xid = rows.getLong(1);
                    }
                }
                if (lockDelayMs > 0) {
                    Thread.sleep(lockDelayMs); // the transaction id is taken; others take the aggregate's lock meanwhile
                }
                int version;
                try (var lock = c.prepareStatement("SELECT version FROM " + aggregates + " WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, aggregate);
                    try (var rows = lock.executeQuery()) {
                        rows.next();
                        version = rows.getInt(1) + 1;
                    }
                }
                try (var update = c.prepareStatement("UPDATE " + aggregates + " SET version = ? WHERE id = ?")) {
                    update.setInt(1, version);
                    update.setString(2, aggregate);
                    update.executeUpdate();
                }
                try (var insert = c.prepareStatement("INSERT INTO " + outbox + " (aggregatetype, aggregateid, type, payload)"
                        + " SELECT ?, id, 'OrderUpdated', " + json + " FROM " + aggregates + " WHERE id = ?")) {
                    insert.setString(1, aggregateType);
                    insert.setInt(2, number);
                    insert.setString(3, aggregate);
                    insert.setString(4, aggregate);
                    insert.executeUpdate();
                }
                if (commitDelayMs > 0) {
                    Thread.sleep(commitDelayMs); // the event id is taken; other transactions commit meanwhile
                }
                if (rollback) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return new long[] {xid, version};
            } catch (SQLException e) {
                c.rollback(); // a deadlock or serialization failure: the application would retry
                if (!"40001".equals(e.getSQLState()) && !"40P01".equals(e.getSQLState()) && e.getErrorCode() != 1213) {
                    throw e;
                }
            }
        }
    }

    /** Each aggregate's version as committed: the last version its events must reach. */
    private Map<String, Integer> committedVersions() throws SQLException {
        var versions = new java.util.HashMap<String, Integer>();
        try (Connection c = db.open(); var s = c.createStatement();
             var rows = s.executeQuery("SELECT id, version FROM " + aggregates + " WHERE version > 0")) {
            while (rows.next()) {
                versions.put(rows.getString(1), rows.getInt(2));
            }
        }
        return versions;
    }

    private void insert(Connection c, String aggregate, String type, String payload) throws SQLException {
        String cast = db == TestDatabases.POSTGRES ? "CAST(? AS jsonb)" : "?";
        try (var insert = c.prepareStatement("INSERT INTO " + outbox + " (aggregatetype, aggregateid, type, payload)"
                + " VALUES (?, ?, ?, " + cast + ")")) {
            insert.setString(1, aggregateType);
            insert.setString(2, aggregate);
            insert.setString(3, type);
            insert.setString(4, payload);
            insert.executeUpdate();
        }
    }

    /** Commits one last event: once it arrives, every event committed before it has (commit order). */
    public void writeEndMarker() throws SQLException {
        try (Connection c = db.open()) {
            insert(c, END, END, "{\"event\": 0, \"aggregate\": \"end\", \"version\": 0}");
        }
    }

    public static boolean isEndMarker(ConsumerRecord<byte[], byte[]> record) {
        return END.equals(Records.payload(record).path("aggregate").asText());
    }

    public int rowCount() throws SQLException {
        try (Connection c = db.open(); var s = c.createStatement(); var rows = s.executeQuery("SELECT COUNT(*) FROM " + outbox)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private int countAggregates() throws SQLException {
        try (Connection c = db.open(); var s = c.createStatement(); var rows = s.executeQuery("SELECT COUNT(*) FROM " + aggregates)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * Checks what arrived against what was committed: every committed event exactly once, the end marker last,
     * and each aggregate's versions 1, 2, 3... in topic order.
     */
    public static void assertExactlyOnceInOrder(java.util.List<ConsumerRecord<byte[], byte[]>> records, Written written) {
        assertThat(records).as("records read").isNotEmpty();
        assertThat(isEndMarker(records.get(records.size() - 1))).as("the end marker comes last").isTrue();
        var seen = new java.util.HashMap<Integer, Integer>();
        var lastVersion = new java.util.HashMap<String, Integer>();
        var outOfOrder = new ArrayList<String>();
        for (var record : records.subList(0, records.size() - 1)) {
            var payload = Records.payload(record);
            int event = payload.path("event").asInt();
            String aggregate = payload.path("aggregate").asText();
            int version = payload.path("version").asInt();
            seen.merge(event, 1, Integer::sum);
            assertThat(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("\"" + aggregate + "\"");
            int previous = lastVersion.getOrDefault(aggregate, 0);
            if (version != previous + 1 && outOfOrder.size() < 10) {
                outOfOrder.add(aggregate + ": version " + version + " after " + previous);
            }
            lastVersion.put(aggregate, Math.max(previous, version));
        }
        var missing = new java.util.TreeSet<>(written.events());
        missing.removeAll(seen.keySet());
        var extra = new java.util.TreeSet<>(seen.keySet());
        extra.removeAll(written.events());
        long duplicated = seen.values().stream().filter(n -> n > 1).count();
        assertThat(missing).as("committed events missing from the topic").isEmpty();
        assertThat(extra).as("events on the topic that were rolled back").isEmpty();
        assertThat(duplicated).as("events delivered more than once").isZero();
        assertThat(outOfOrder).as("aggregates whose versions arrived out of order").isEmpty();
        assertThat(lastVersion).isEqualTo(written.versions());
    }

    /**
     * Checks what arrived at least once: every committed event, nothing rolled back, the end marker last, and each
     * aggregate's versions in order at their first arrival. Returns how many records were duplicates.
     */
    public static int assertNoneLostInOrder(java.util.List<ConsumerRecord<byte[], byte[]>> records, Written written) {
        assertThat(records).as("records read").isNotEmpty();
        assertThat(isEndMarker(records.get(records.size() - 1))).as("the end marker comes last").isTrue();
        var seen = new java.util.HashSet<Integer>();
        var lastVersion = new java.util.HashMap<String, Integer>();
        var outOfOrder = new ArrayList<String>();
        int duplicates = 0;
        for (var record : records.subList(0, records.size() - 1)) {
            var payload = Records.payload(record);
            if (!seen.add(payload.path("event").asInt())) {
                duplicates++;
                continue;
            }
            String aggregate = payload.path("aggregate").asText();
            int version = payload.path("version").asInt();
            int previous = lastVersion.getOrDefault(aggregate, 0);
            if (version != previous + 1 && outOfOrder.size() < 10) {
                outOfOrder.add(aggregate + ": version " + version + " after " + previous);
            }
            lastVersion.put(aggregate, Math.max(previous, version));
        }
        var missing = new java.util.TreeSet<>(written.events());
        missing.removeAll(seen);
        var extra = new java.util.TreeSet<>(seen);
        extra.removeAll(written.events());
        assertThat(missing).as("committed events missing from the topic").isEmpty();
        assertThat(extra).as("events on the topic that were rolled back").isEmpty();
        assertThat(outOfOrder).as("aggregates whose versions first arrived out of order").isEmpty();
        assertThat(lastVersion).isEqualTo(written.versions());
        return duplicates;
    }

    @Override
    public void close() {
        db.dropTable(outbox);
        db.dropTable(aggregates);
    }
}
