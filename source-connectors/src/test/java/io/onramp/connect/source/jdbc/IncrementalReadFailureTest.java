package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.OutboxDatabases;
import io.onramp.connect.source.testing.RecordingTaskContext;
import io.onramp.connect.source.testing.TcpProxy;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A transient failure part-way through a poll, after rows of the poll were read: those rows still go out, and
 * the reader resumes after the last row it returned, in both incremental readers (gap tracking, PostgreSQL's
 * transaction horizon). The failures are real: a query that raises a serialization failure (SQLSTATE 40001) at
 * a chosen row, and a connection lost as the round's closing COMMIT is sent.
 */
class IncrementalReadFailureTest {

    private static final OutboxDatabases DB = OutboxDatabases.POSTGRES;

    private final List<String> cleanUp = new ArrayList<>();
    private JdbcSourceTask task;
    private TcpProxy proxy;

    @AfterEach
    void cleanUp() throws Exception {
        if (task != null) {
            task.stop();
        }
        if (proxy != null) {
            proxy.close();
        }
        for (String statement : cleanUp) {
            sql(statement);
        }
    }

    /**
     * Gap tracking: a round's gap query returns row 3 (taken before 4, committed after it), then the main query
     * fails at row 5. Row 3 goes out with the failure held back to the next poll, and is not read again.
     */
    @Test
    void aFailureAfterTheGapQueryReturnedARowStillEmitsThatRowOnce() throws Exception {
        String t = OutboxDatabases.uniqueName("readfail_gap");
        String flag = t + "_flag";
        String fn = t + "_f";
        sql("CREATE TABLE " + t + " (id INT PRIMARY KEY)", "CREATE TABLE " + flag + " (fail_id INT)",
                "CREATE FUNCTION " + fn + "(i INT) RETURNS INT LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF EXISTS (SELECT 1 FROM " + flag + " WHERE fail_id = i) THEN "
                        + "RAISE EXCEPTION 'injected' USING ERRCODE = '40001'; END IF; RETURN i; END $$",
                "INSERT INTO " + t + " VALUES (1),(2),(4)");
        cleanUp.add("DROP TABLE IF EXISTS " + t);
        cleanUp.add("DROP TABLE IF EXISTS " + flag);
        cleanUp.add("DROP FUNCTION IF EXISTS " + fn + "(INT)");
        var props = props("readfail-gap", DB.url());
        props.put("query", "SELECT id, " + fn + "(id) AS x FROM " + t);
        var run = new Run(props, null);

        run.pollUntil(() -> run.ids.containsAll(List.of(1, 2, 4)));
        sql("INSERT INTO " + flag + " VALUES (5)", "INSERT INTO " + t + " VALUES (3),(5)");
        run.pollUntil(() -> run.failures > 0);
        sql("DELETE FROM " + flag);
        run.pollUntil(() -> run.ids.contains(5));
        run.pollRounds(10);

        assertThat(run.events).as("row 3 went out, then the failure of its poll").containsSubsequence("3", "failed");
        assertThat(run.ids).as("every row once").containsExactly(1, 2, 4, 3, 5);
    }

    @Test
    void aLostConnectionAtTheGapTrackingRoundsCommitLosesNoRowOfItsLastBatch() throws Exception {
        lostConnectionAtTheRoundsCommit("false");
    }

    @Test
    void aLostConnectionAtTheHorizonRoundsCommitLosesNoRowOfItsLastBatch() throws Exception {
        lostConnectionAtTheRoundsCommit("true");
    }

    /**
     * Rows 3..5 fit one poll, which ends the round with a COMMIT; the connection is lost as it is sent (every
     * COMMIT until the rows are out). The rows go out, the failure with the next poll, and nothing is read twice.
     */
    private void lostConnectionAtTheRoundsCommit(String horizon) throws Exception {
        String t = OutboxDatabases.uniqueName("readfail_commit");
        sql("CREATE TABLE " + t + " (id INT PRIMARY KEY)", "INSERT INTO " + t + " VALUES (1),(2)");
        cleanUp.add("DROP TABLE IF EXISTS " + t);
        proxy = TcpProxy.inFrontOf(DB.url(), true);
        String url = proxy.url(DB.url());
        // in clear text and without server-side prepared statements, so that every COMMIT goes out as its text
        var props = props("readfail-commit", url + (url.contains("?") ? "&" : "?") + "sslmode=disable&prepareThreshold=0");
        props.put("table.include.list", t);
        props.put("transaction.horizon.enabled", horizon);
        var run = new Run(props, t);

        run.pollUntil(() -> run.ids.containsAll(List.of(1, 2)));
        sql("INSERT INTO " + t + " VALUES (3),(4),(5)");
        proxy.cutWhenClientSends("COMMIT");
        run.pollUntil(() -> run.ids.containsAll(List.of(3, 4, 5)));
        proxy.stopCutting();
        run.pollRounds(10);

        assertThat(proxy.cuts()).as("connections cut at COMMIT").isPositive();
        assertThat(run.events).as("the round's last batch went out, then the failure of its commit")
                .containsSubsequence("5", "failed");
        assertThat(run.ids).as("every row once").containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aConnectionLostInTheMiddleOfAGapTrackingReadResumesAfterTheLastRowReturned() throws Exception {
        connectionLostMidRead("false");
    }

    @Test
    void aConnectionLostInTheMiddleOfAHorizonWindowResumesAfterTheLastRowReturned() throws Exception {
        connectionLostMidRead("true");
    }

    /**
     * Rows 1..5 read 2 a poll: the connection is lost after the first poll, with the cursor open; the next poll
     * fails (the horizon reader fetches a query's rows at the start of a poll, one poll's worth at a time, so this
     * is where its reads fail) and the read resumes after row 2.
     */
    private void connectionLostMidRead(String horizon) throws Exception {
        String t = OutboxDatabases.uniqueName("readfail_mid");
        sql("CREATE TABLE " + t + " (id INT PRIMARY KEY)", "INSERT INTO " + t + " SELECT generate_series(1, 5)");
        cleanUp.add("DROP TABLE IF EXISTS " + t);
        proxy = TcpProxy.inFrontOf(DB.url(), true);
        var props = props("readfail-mid", proxy.url(DB.url()));
        props.put("table.include.list", t);
        props.put("transaction.horizon.enabled", horizon);
        props.put("batch.max.rows", "2");
        var run = new Run(props, t);

        run.pollUntil(() -> !run.ids.isEmpty());
        assertThat(run.ids).as("the first poll").containsExactly(1, 2);
        proxy.cutAll();
        run.pollUntil(() -> run.ids.contains(5));
        run.pollRounds(10);

        assertThat(run.events).as("the poll after the cut failed").containsSubsequence("2", "failed", "3");
        assertThat(run.ids).as("every row once").containsExactly(1, 2, 3, 4, 5);
    }

    /** A task driven as Connect drives one: polls, retriable failures logged and polled again, records acknowledged. */
    private final class Run {
        final RecordingTaskContext context;
        final List<Integer> ids = new ArrayList<>();
        /** Each id returned and each failed poll ("failed"), in order. */
        final List<String> events = new ArrayList<>();
        int failures;

        Run(Map<String, String> props, String table) throws Exception {
            context = new RecordingTaskContext(props, false);
            Map<String, String> taskProps = props;
            if (table != null) {
                var connector = new JdbcSourceConnector();
                connector.start(props);
                taskProps = connector.taskConfigs(1).get(0);
                connector.stop();
            }
            task = new JdbcSourceTask();
            task.initialize(context);
            task.start(taskProps);
        }

        void pollUntil(BooleanSupplier done) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!done.getAsBoolean()) {
                assertThat(System.nanoTime()).as("within 30 s; so far " + events).isLessThan(deadline);
                pollOnce();
            }
        }

        /** Polls for {@code rounds} poll intervals more, for rows that should not come. */
        void pollRounds(int rounds) throws InterruptedException {
            long until = System.nanoTime() + Duration.ofMillis(rounds * 50L).toNanos();
            while (System.nanoTime() < until) {
                pollOnce();
            }
        }

        private void pollOnce() throws InterruptedException {
            List<SourceRecord> batch;
            try {
                batch = task.poll();
            } catch (RetriableException e) {
                failures++;
                events.add("failed");
                return;
            }
            if (batch != null) {
                for (SourceRecord r : batch) {
                    int id = ((Struct) r.value()).getInt32("id");
                    ids.add(id);
                    events.add(Integer.toString(id));
                }
                context.acknowledge(task, batch);
            }
        }
    }

    private static HashMap<String, String> props(String name, String url) {
        var props = new HashMap<String, String>();
        props.put("name", name);
        props.put("connection.url", url);
        props.put("connection.user", OutboxDatabases.user());
        props.put("connection.password", OutboxDatabases.password());
        props.put("mode", "incrementing");
        props.put("incrementing.column.name", "id");
        props.put("topic.prefix", "readfail.");
        props.put("poll.interval.ms", "50");
        props.put("connection.backoff.ms", "100");
        return props;
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = DB.open(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
