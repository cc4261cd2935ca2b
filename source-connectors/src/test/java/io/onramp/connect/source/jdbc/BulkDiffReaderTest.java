package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.OutboxDatabases;
import io.onramp.connect.source.snapshot.SnapshotArchive;
import io.onramp.connect.source.testing.RecordingTaskContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mode bulk-diff against real PostgreSQL and MariaDB: each run of a task reads the table, and only the changes
 * since the run before come out, in one transaction, with the archive moving on only once they are acknowledged.
 */
class BulkDiffReaderTest {

    @TempDir
    Path archive;
    private final List<String> dropped = new ArrayList<>();
    private OutboxDatabases db;

    @AfterEach
    void dropTables() throws SQLException {
        if (db != null) {
            try (Connection c = db.open(); Statement s = c.createStatement()) {
                for (String table : dropped) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void insertUpdateAndDeleteBetweenRunsComeOutAsExactlyThoseChangeEvents(OutboxDatabases database) throws Exception {
        String table = customers(database);
        var context = new RecordingTaskContext(props(table, Map.of()), true);

        List<SourceRecord> first = run(context);
        assertThat(first).extracting(BulkDiffReaderTest::describe)
                .containsExactly("r 1 null->ada", "r 2 null->bob", "r 3 null->cy");
        assertThat(first).allSatisfy(record -> assertThat(source(record).getString("snapshot")).isEqualTo("true"));
        assertThat(context.commits).as("3 records in batches of 2, one transaction")
                .containsExactly("commit after " + first.get(2).sourceOffset());

        sql("INSERT INTO " + table + " VALUES (4, 'dee', 4.00)", "UPDATE " + table + " SET name = 'bobby' WHERE id = 2",
                "DELETE FROM " + table + " WHERE id = 3");
        RecordingTaskContext second = context.restarted(context.configs());
        List<SourceRecord> changes = run(second);
        assertThat(changes).extracting(BulkDiffReaderTest::describe)
                .containsExactly("u 2 bob->bobby", "d 3 cy->null", "c 4 null->dee");
        assertThat(source(changes.get(0)).getString("snapshot")).isEqualTo("false");
        assertThat(source(changes.get(0)).getString("connector")).isEqualTo("jdbc");
        assertThat(second.commits).containsExactly("commit after " + changes.get(2).sourceOffset());
        assertThat(changes.get(2).sourceOffset().get("event")).isEqualTo(3L);
        assertThat(changes.get(2).sourceOffset().get("last")).isEqualTo(true);

        RecordingTaskContext third = second.restarted(context.configs());
        assertThat(run(third)).as("nothing changed").isEmpty();
        assertThat(third.commits).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void stateOutputGivesTheRowForAnInsertOrUpdateAndATombstoneForADelete(OutboxDatabases database) throws Exception {
        String table = customers(database);
        var context = new RecordingTaskContext(props(table, Map.of("output.format", "state")), true);
        run(context);
        sql("INSERT INTO " + table + " VALUES (4, 'dee', 4.00)", "UPDATE " + table + " SET amount = 2.50 WHERE id = 2",
                "DELETE FROM " + table + " WHERE id = 1");

        List<SourceRecord> changes = run(context.restarted(context.configs()));

        assertThat(changes).extracting(record -> ((Struct) record.key()).get("id")).containsExactly(1, 2, 4);
        assertThat(changes.get(0).value()).as("tombstone").isNull();
        assertThat(changes.get(0).valueSchema()).isNull();
        assertThat(((Struct) changes.get(1).value()).get("amount")).isEqualTo(new java.math.BigDecimal("2.50"));
        assertThat(((Struct) changes.get(2).value()).getString("name")).isEqualTo("dee");
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void whenTheArchivedStateIsLostTheNextRunEmitsReadsNeverDeletes(OutboxDatabases database) throws Exception {
        String table = customers(database);
        var context = new RecordingTaskContext(props(table, Map.of()), true);
        run(context);
        try (Stream<Path> files = Files.list(archive)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        sql("DELETE FROM " + table + " WHERE id = 1");

        List<SourceRecord> again = run(context.restarted(context.configs()));

        assertThat(again).extracting(BulkDiffReaderTest::describe).containsExactly("r 2 null->bob", "r 3 null->cy");
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aRunCommittedRightBeforeACrashIsArchivedOnRestartAndNotSentAgain(OutboxDatabases database) throws Exception {
        String table = customers(database);
        var context = new RecordingTaskContext(props(table, Map.of()), true);
        run(context);
        sql("UPDATE " + table + " SET name = 'ada2' WHERE id = 1", "DELETE FROM " + table + " WHERE id = 2");
        var crashed = context.restarted(context.configs());
        List<SourceRecord> sent = pollUntilLast(crashed); // all sent and committed, then the task dies before it archives
        assertThat(sent).extracting(BulkDiffReaderTest::describe).containsExactly("u 1 ada->ada2", "d 2 bob->null");

        sql("INSERT INTO " + table + " VALUES (9, 'ivy', 9.00)");
        List<SourceRecord> next = run(crashed.restarted(context.configs()));

        assertThat(next).as("only what changed after the committed run").extracting(BulkDiffReaderTest::describe)
                .containsExactly("c 9 null->ivy");
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aRunCutShortResumesFromItsSortedRowsAfterTheEventsAlreadySent(OutboxDatabases database) throws Exception {
        String table = customers(database);
        var props = props(table, Map.of("batch.max.rows", "1"));
        var context = new RecordingTaskContext(props, true);
        run(context);
        sql("UPDATE " + table + " SET name = 'ada2' WHERE id = 1", "DELETE FROM " + table + " WHERE id = 2",
                "INSERT INTO " + table + " VALUES (5, 'eve', 5.00)");
        var crashed = context.restarted(props);
        JdbcSourceTask task = start(crashed);
        List<SourceRecord> firstBatch = firstBatch(task);
        crashed.acknowledge(task, firstBatch);
        task.stop(); // killed after the first event was committed
        assertThat(firstBatch).extracting(BulkDiffReaderTest::describe).containsExactly("u 1 ada->ada2");

        sql("INSERT INTO " + table + " VALUES (6, 'fay', 6.00)"); // after the cut-short run read the table
        var restarted = crashed.restarted(props);
        List<SourceRecord> rest = resume(restarted, (String) firstBatch.get(0).sourceOffset().get("snapshot"));
        assertThat(rest).as("the rest of the same run, not a new read").extracting(BulkDiffReaderTest::describe)
                .containsExactly("d 2 bob->null", "c 5 null->eve");
        assertThat(restarted.commits).containsExactly("commit after " + rest.get(1).sourceOffset());

        assertThat(run(restarted.restarted(props))).extracting(BulkDiffReaderTest::describe).containsExactly("c 6 null->fay");
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aCustomQueryWithWhereAndOrderByIsWrappedAndDiffedByTheNamedKeyColumns(OutboxDatabases database) throws Exception {
        String table = customers(database);
        var props = props(table, Map.of("query", "SELECT id, name FROM " + table + " WHERE amount < 3 ORDER BY name DESC",
                "snapshot.key.fields", "id", "topic.prefix", "bd.query"));
        props.remove("table.include.list");
        assertThat(new JdbcSourceConnector().validate(props).configValues()).allSatisfy(v ->
                assertThat(v.errorMessages()).as(v.name()).isEmpty());
        var context = new RecordingTaskContext(props, true);
        assertThat(run(context)).extracting(BulkDiffReaderTest::describe).containsExactly("r 1 null->ada", "r 2 null->bob");

        sql("UPDATE " + table + " SET amount = 5.00 WHERE id = 1", "UPDATE " + table + " SET amount = 0.50 WHERE id = 3");
        List<SourceRecord> changes = run(context.restarted(props));

        assertThat(changes).extracting(BulkDiffReaderTest::describe).containsExactly("d 1 ada->null", "c 3 null->cy");
        assertThat(changes).allSatisfy(record -> assertThat(record.topic()).isEqualTo("bd.query"));
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aTaskWithTwoTablesFinishesOneTablesRunBeforeItSendsTheOthers(OutboxDatabases database) throws Exception {
        String first = customers(database);
        String second = customers(database);
        var props = props(first, Map.of("table.include.list", first + "," + second, "batch.max.rows", "1"));
        var context = new RecordingTaskContext(props, true);

        List<SourceRecord> records = run(context);

        assertThat(records).hasSize(6);
        List<String> topics = records.stream().map(SourceRecord::topic).toList();
        assertThat(topics.subList(0, 3)).as("one table's run whole, then the other's: %s", topics).containsOnly(topics.get(0));
        assertThat(topics.subList(3, 6)).containsOnly(topics.get(3)).doesNotContain(topics.get(0));
        assertThat(context.commits).as("one transaction per table run, each committed on its last record")
                .containsExactly("commit after " + records.get(2).sourceOffset(), "commit after " + records.get(5).sourceOffset());
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void offsetsAndPartitionsSerializeToTheSameBytesInEveryJvm(OutboxDatabases database) throws Exception {
        String table = customers(database);
        var context = new RecordingTaskContext(props(table, Map.of()), true);
        SourceRecord last = run(context).get(2);
        var converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), true);
        String partition = new String(converter.fromConnectData("offsets", null, last.sourcePartition()), StandardCharsets.UTF_8);
        String offset = new String(converter.fromConnectData("offsets", null, last.sourceOffset()), StandardCharsets.UTF_8);
        assertThat(partition).matches("\\{\"table\":\"[a-z]+\\." + table + "\"}");
        assertThat(offset).matches("\\{\"event\":3,\"last\":true,\"snapshot\":\"\\d+\"}");
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void validateNamesTheKeyForATableWithoutPrimaryKeyAndForAMissingColumn(OutboxDatabases database) throws Exception {
        this.db = database;
        String table = OutboxDatabases.uniqueName("bd_nokey");
        dropped.add(table);
        sql("CREATE TABLE " + table + " (code VARCHAR(10), label VARCHAR(20))");
        var props = props(table, Map.of());

        assertThat(errors(props, "snapshot.key.fields")).singleElement().asString()
                .contains("has no primary key").contains("snapshot.key.fields");
        props.put("snapshot.key.fields", "kode");
        assertThat(errors(props, "snapshot.key.fields")).singleElement().asString().contains("no column 'kode'");
        props.put("snapshot.key.fields", "code");
        props.put("snapshot.ignore.fields", "lable");
        assertThat(errors(props, "snapshot.ignore.fields")).singleElement().asString().contains("no column 'lable'");
        props.put("snapshot.ignore.fields", "label");
        assertThat(errors(props, "snapshot.key.fields")).isEmpty();
        assertThat(errors(props, "snapshot.ignore.fields")).isEmpty();
        props.remove("snapshot.archive.path");
        assertThat(errors(props, "snapshot.archive.path")).singleElement().asString().contains("must name a directory");
    }

    private static List<String> errors(Map<String, String> props, String key) {
        return new JdbcSourceConnector().validate(props).configValues().stream().filter(v -> v.name().equals(key))
                .findFirst().map(ConfigValue::errorMessages).orElseThrow();
    }

    private String customers(OutboxDatabases database) throws SQLException {
        this.db = database;
        String table = OutboxDatabases.uniqueName("bd_customers");
        dropped.add(table);
        sql("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(40), amount NUMERIC(10,2))",
                "INSERT INTO " + table + " VALUES (1, 'ada', 1.00), (2, 'bob', 2.00), (3, 'cy', 3.00)");
        return table;
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private Map<String, String> props(String table, Map<String, String> overrides) {
        var props = new HashMap<String, String>();
        props.put("name", "bulkdiff-unit");
        props.put("connection.url", db.url());
        props.put("connection.user", OutboxDatabases.user());
        props.put("connection.password", OutboxDatabases.password());
        props.put("mode", "bulk-diff");
        props.put("table.include.list", table);
        props.put("topic.prefix", "bd.");
        props.put("snapshot.archive.path", archive.toString());
        props.put("poll.interval.ms", "3600000"); // one run per task start
        props.put("batch.max.rows", "2");
        props.putAll(overrides);
        return props;
    }

    private static JdbcSourceTask start(RecordingTaskContext context) {
        var connector = new JdbcSourceConnector();
        connector.start(context.configs());
        Map<String, String> taskProps = connector.taskConfigs(1).get(0);
        var task = new JdbcSourceTask();
        task.initialize(context);
        task.start(taskProps);
        return task;
    }

    /**
     * One task start: polls, acknowledging every record as Kafka would, until the archive's pointer of every table
     * names a run this task started (run names are the clock's milliseconds at their start, rising), that is, until
     * a new read of each table was sent and applied; a run the task resumed or promoted on start does not count.
     */
    private List<SourceRecord> run(RecordingTaskContext context) throws Exception {
        long startedAtMs = System.currentTimeMillis();
        String query = context.configs().get("query");
        int targets = query != null ? 1 : context.configs().get("table.include.list").split(",").length;
        return pollUntilApplied(context, runs -> runs.size() == targets
                && runs.stream().allMatch(run -> Long.parseLong(run) >= startedAtMs), "a run started by this task applied");
    }

    /** One task start that resumes the cut-short run {@code run} of the only table: polls until that run is applied. */
    private List<SourceRecord> resume(RecordingTaskContext context, String run) throws Exception {
        return pollUntilApplied(context, List.of(run)::equals, "run " + run + " applied");
    }

    private List<SourceRecord> pollUntilApplied(RecordingTaskContext context, java.util.function.Predicate<List<String>> applied,
            String what) throws Exception {
        JdbcSourceTask task = start(context);
        try {
            var all = new ArrayList<SourceRecord>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!applied.test(appliedRuns())) {
                assertThat(System.nanoTime()).as("%s within 30 s; records so far: %s", what, all).isLessThan(deadline);
                List<SourceRecord> batch = task.poll();
                if (batch != null) {
                    all.addAll(batch);
                    context.acknowledge(task, batch);
                }
            }
            return all;
        } finally {
            task.stop();
        }
    }

    /** The runs the archive's pointers name (each table's state the next diff compares with); none before the first. */
    private List<String> appliedRuns() throws java.io.IOException {
        String suffix = ".snapshot.properties";
        try (Stream<Path> files = Files.list(archive)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(suffix)).sorted()
                    .map(f -> new SnapshotArchive(archive, f.substring(0, f.length() - suffix.length())).current().snapshotFile())
                    .toList();
        }
    }

    /** The first batch a task polls (a poll returns nothing while the run is still being read and sorted). */
    private static List<SourceRecord> firstBatch(JdbcSourceTask task) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<SourceRecord> batch = task.poll();
        while (batch == null) {
            assertThat(System.nanoTime()).as("a first batch within 30 s").isLessThan(deadline);
            batch = task.poll();
        }
        return batch;
    }

    /** Polls and acknowledges until the run's last record, then stops the task before it polls again. */
    private static List<SourceRecord> pollUntilLast(RecordingTaskContext context) throws InterruptedException {
        JdbcSourceTask task = start(context);
        var all = new ArrayList<SourceRecord>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (all.isEmpty() || !Boolean.TRUE.equals(all.get(all.size() - 1).sourceOffset().get("last"))) {
            assertThat(System.nanoTime()).as("the run's last record within 30 s").isLessThan(deadline);
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                all.addAll(batch);
                context.acknowledge(task, batch);
            }
        }
        task.stop();
        return all;
    }

    private static Struct source(SourceRecord record) {
        return ((Struct) record.value()).getStruct("source");
    }

    /** "op id before.name->after.name" of a change event. */
    private static String describe(SourceRecord record) {
        Struct value = (Struct) record.value();
        Struct before = value.getStruct("before");
        Struct after = value.getStruct("after");
        Object id = ((Struct) record.key()).get("id");
        return value.getString("op") + " " + id + " " + (before == null ? "null" : before.getString("name")) + "->"
                + (after == null ? "null" : after.getString("name"));
    }
}
