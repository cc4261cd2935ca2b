package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.OutboxDatabases;
import io.onramp.connect.source.testing.RecordingTaskContext;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A column added or dropped while the task runs moves the incrementing column within {@code SELECT *}: each
 * reader finds it by name again in the new result, so every row goes out once and its offset names the row.
 */
class IncrementalColumnsMoveTest {

    private OutboxDatabases db;
    private String table;
    private JdbcSourceTask task;

    @AfterEach
    void cleanUp() throws Exception {
        if (task != null) {
            task.stop();
        }
        if (table != null) {
            sql("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void aColumnAddedBeforeTheIncrementingColumnOnMariaDbLeavesEveryRowReadOnce() throws Exception {
        db = OutboxDatabases.MARIADB;
        table = OutboxDatabases.uniqueName("colmove_maria");
        sql("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO " + table + " VALUES (1,'a'),(2,'b'),(3,'c')");
        everyRowOnceAcross("ALTER TABLE " + table + " ADD COLUMN region INT NULL FIRST", "true");
    }

    @Test
    void aColumnDroppedBeforeTheIncrementingColumnAndAddedBackOnPostgresLeavesEveryRowReadOnceWithGapTracking()
            throws Exception {
        droppedAndAddedOnPostgres("false");
    }

    @Test
    void aColumnDroppedBeforeTheIncrementingColumnAndAddedBackOnPostgresLeavesEveryRowReadOnceWithTheHorizon()
            throws Exception {
        droppedAndAddedOnPostgres("true");
    }

    private void droppedAndAddedOnPostgres(String horizon) throws Exception {
        db = OutboxDatabases.POSTGRES;
        table = OutboxDatabases.uniqueName("colmove_pg");
        // n after id: once id moves to the first place, the old position holds n (0), a plausible id
        sql("CREATE TABLE " + table + " (pad INT, id INT PRIMARY KEY, n INT NOT NULL DEFAULT 0)",
                "INSERT INTO " + table + " (pad, id) VALUES (0, 1), (0, 2), (0, 3)");
        everyRowOnceAcross("ALTER TABLE " + table + " DROP COLUMN pad", horizon);
    }

    /** Reads rows 1..3, runs {@code alter}, inserts 4 and 5, and on PostgreSQL adds the dropped column back, then 6. */
    private void everyRowOnceAcross(String alter, String horizon) throws Exception {
        var props = new HashMap<String, String>();
        props.put("name", "colmove");
        props.put("connection.url", db.url());
        props.put("connection.user", OutboxDatabases.user());
        props.put("connection.password", OutboxDatabases.password());
        props.put("mode", "incrementing");
        props.put("incrementing.column.name", "id");
        props.put("table.include.list", table);
        props.put("topic.prefix", "colmove.");
        props.put("poll.interval.ms", "50");
        props.put("transaction.horizon.enabled", horizon);
        var context = new RecordingTaskContext(props, false);
        var connector = new JdbcSourceConnector();
        connector.start(props);
        var taskProps = connector.taskConfigs(1).get(0);
        connector.stop();
        task = new JdbcSourceTask();
        task.initialize(context);
        task.start(taskProps);

        List<SourceRecord> records = new ArrayList<>();
        pollUntil(records, 3, context);
        sql(alter, "INSERT INTO " + table + " (id) VALUES (4), (5)");
        pollUntil(records, 5, context);
        if (db == OutboxDatabases.POSTGRES) {
            sql("ALTER TABLE " + table + " ADD COLUMN pad INT", "INSERT INTO " + table + " (id, pad) VALUES (6, 0)");
            pollUntil(records, 6, context);
        }
        long until = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // 20 poll intervals, for rows read again
        while (System.nanoTime() < until) {
            poll(records, context);
        }

        List<Integer> ids = records.stream().map(r -> ((Struct) r.value()).getInt32("id")).toList();
        assertThat(ids).as("every row once").containsExactlyElementsOf(
                db == OutboxDatabases.POSTGRES ? List.of(1, 2, 3, 4, 5, 6) : List.of(1, 2, 3, 4, 5));
        if ("true".equals(horizon) && db == OutboxDatabases.POSTGRES) {
            // the horizon reader's position in its window: a restart resumes after it
            assertThat(records).allSatisfy(r -> assertThat(((Number) r.sourceOffset().get(XidWindowReader.ID)).intValue())
                    .isEqualTo(((Struct) r.value()).getInt32("id")));
        }
    }

    private void pollUntil(List<SourceRecord> records, int id, RecordingTaskContext context) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.stream().noneMatch(r -> ((Struct) r.value()).getInt32("id") == id)) {
            assertThat(System.nanoTime()).as("row " + id + " within 30 s").isLessThan(deadline);
            poll(records, context);
        }
    }

    private void poll(List<SourceRecord> records, RecordingTaskContext context) throws InterruptedException {
        List<SourceRecord> batch = task.poll();
        if (batch != null) {
            records.addAll(batch);
            context.acknowledge(task, batch);
        }
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
