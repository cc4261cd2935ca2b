package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.OutboxDatabases;
import io.onramp.connect.source.testing.RecordingTaskContext;
import io.onramp.connect.source.testing.TaskThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk-diff run of a large PostgreSQL table, the task driven as Connect 3.x/4.x drives it: poll() and stop() on
 * one thread, stop() only between polls. Polls return while the table is read and sorted; stop() ends the run.
 */
class JdbcSourceTaskStopTest {

    private static final Duration SHORT_POLL_WAIT = Duration.ofMillis(20);

    private static final OutboxDatabases DB = OutboxDatabases.POSTGRES;

    @TempDir
    Path archive;
    private String table;

    @AfterEach
    void dropTable() throws SQLException {
        if (table != null) {
            sql("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void pollsReturnWithinTheirWaitDuringALargeBulkDiffReadAndAStopOnTheSameThreadEndsIt() throws Exception {
        table = OutboxDatabases.uniqueName("stopfix_bd");
        sql("CREATE TABLE " + table + " (id INT PRIMARY KEY, name TEXT)",
                "INSERT INTO " + table + " SELECT i, 'name of row ' || i || ' ' || repeat('x', 60) FROM generate_series(1, 1000000) i");
        var props = new HashMap<String, String>();
        props.put("name", "stopfix-bd");
        props.put("connection.url", DB.url());
        props.put("connection.user", OutboxDatabases.user());
        props.put("connection.password", OutboxDatabases.password());
        props.put("mode", "bulk-diff");
        props.put("table.include.list", table);
        props.put("topic.prefix", "stopfix.");
        props.put("snapshot.archive.path", archive.toString());
        props.put("snapshot.sort.memory.bytes", Integer.toString(1 << 20));
        var context = new RecordingTaskContext(props, true);
        var connector = new JdbcSourceConnector();
        connector.start(props);
        Map<String, String> taskProps = connector.taskConfigs(1).get(0);
        connector.stop();
        Set<Thread> before = TaskThreads.snapshot();
        // A short poll wait, so that the loop below sees the run under way (its first spill) long before it ends,
        // however fast this machine reads and sorts.
        var task = new JdbcSourceTask(java.time.Clock.systemUTC(), SHORT_POLL_WAIT);
        task.initialize(context);
        task.start(taskProps);

        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Set<String> seenThreads = new java.util.TreeSet<>();
        while (!spilled()) { // reading and sorting the table is under way once it has spilled a run
            assertThat(System.nanoTime()).as("a spill within 120 s").isLessThan(deadline);
            long start = System.nanoTime();
            List<SourceRecord> records = task.poll();
            assertThat(records).as("nothing before the run is sorted").isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one poll")
                    .isLessThan(SHORT_POLL_WAIT.plusSeconds(3));
            seenThreads.addAll(TaskThreads.started(before));
        }
        assertThat(seenThreads).as("the run is read on the task's own thread").anyMatch(name -> name.startsWith("onramp-jdbc-source-"));

        long stopStart = System.nanoTime();
        task.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - stopStart)).isLessThan(JdbcSourceTask.STOP_DEADLINE.plusSeconds(2));
        assertThat(TaskThreads.aliveAfterStop(before)).as("threads of the task alive after its stop()").isEmpty();
        assertThat(context.commits).as("no transaction asked for").isEmpty();
        try (var files = Files.list(archive)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.contains(".spill-")
                    || name.endsWith(".partial") || name.endsWith(".properties")).toList())
                    .as("no spill or partial file left, nothing promoted").isEmpty();
        }
    }

    /**
     * Mode bulk reads ahead on a thread of its own: the batches a task hands out follow the table without a gap or a
     * repeat, and stop() in the middle of the table ends the read-ahead thread with the task's other threads.
     */
    @Test
    void aBulkTaskStoppedMidTableEndsItsReadAheadThreadAndHandedOutTheRowsInOrder() throws Exception {
        table = OutboxDatabases.uniqueName("jdbcspeed_bulk_stop");
        sql("CREATE TABLE " + table + " (id INT PRIMARY KEY, name TEXT)",
                "INSERT INTO " + table + " SELECT i, 'row ' || i FROM generate_series(1, 200000) i");
        var props = new HashMap<String, String>();
        props.put("name", "jdbcspeed-bulk-stop");
        props.put("connection.url", DB.url());
        props.put("connection.user", OutboxDatabases.user());
        props.put("connection.password", OutboxDatabases.password());
        props.put("mode", "bulk");
        props.put("table.include.list", table);
        props.put("topic.prefix", "jdbcspeed.");
        props.put("batch.max.rows", "1000");
        var context = new RecordingTaskContext(props, false);
        var connector = new JdbcSourceConnector();
        connector.start(props);
        Map<String, String> taskProps = connector.taskConfigs(1).get(0);
        connector.stop();
        Set<Thread> before = TaskThreads.snapshot();
        var task = new JdbcSourceTask();
        task.initialize(context);
        task.start(taskProps);

        List<Integer> ids = new java.util.ArrayList<>();
        Set<String> seenThreads = new java.util.TreeSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (ids.size() < 5_000) {
            assertThat(System.nanoTime()).as("5,000 rows within 120 s").isLessThan(deadline);
            List<SourceRecord> records = task.poll();
            if (records != null) {
                records.forEach(r -> ids.add(((org.apache.kafka.connect.data.Struct) r.value()).getInt32("id")));
            }
            seenThreads.addAll(TaskThreads.started(before));
        }
        assertThat(ids).as("a freshly filled table read in the order it was written, batch after batch")
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, ids.size()).boxed().toList());
        assertThat(seenThreads).as("the next batch is read on a thread of its own")
                .anyMatch(name -> name.startsWith("onramp-jdbc-read-ahead|jdbcspeed-bulk-stop|"));

        long stopStart = System.nanoTime();
        task.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - stopStart)).isLessThan(JdbcSourceTask.STOP_DEADLINE.plusSeconds(2));
        assertThat(TaskThreads.aliveAfterStop(before)).as("threads of the task alive after its stop()").isEmpty();
    }

    private boolean spilled() throws Exception {
        try (var files = Files.list(archive)) {
            return files.anyMatch(file -> file.getFileName().toString().contains(".spill-"));
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = DB.open(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
