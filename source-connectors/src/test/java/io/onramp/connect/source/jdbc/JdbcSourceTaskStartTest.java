package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connect never retries a task's start(): a database that cannot be reached when the task starts is a retriable
 * poll, not a failed task. A refused login or a table that is gone still fails the task, with an error that says so.
 */
class JdbcSourceTaskStartTest {

    private static final OutboxDatabases DB = OutboxDatabases.POSTGRES;
    private static final long BACKOFF_MS = 300;

    private String table;
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
        if (table != null) {
            sql("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void aTaskStartedWhileTheDatabaseIsUnreachablePollsRetriablyAndReadsOnceItIsReachable() throws Exception {
        table = OutboxDatabases.uniqueName("start_down");
        sql("CREATE TABLE " + table + " (id INT PRIMARY KEY)", "INSERT INTO " + table + " VALUES (1),(2),(3)");
        Map<String, String> taskProps = taskProps();
        proxy = TcpProxy.inFrontOf(DB.url(), false);
        String url = proxy.url(DB.url());
        // without SSL, whose refusal makes the driver try once more: one connection per attempt
        taskProps.put("connection.url", url + (url.contains("?") ? "&" : "?") + "sslmode=disable");
        var context = new RecordingTaskContext(taskProps, false);
        task = new JdbcSourceTask();
        task.initialize(context);

        task.start(taskProps); // throws nothing: it does not need the database

        int failures = 0;
        long downFor = Duration.ofSeconds(3).toNanos();
        long downSince = System.nanoTime();
        while (System.nanoTime() - downSince < downFor) {
            try {
                assertThat(task.poll()).as("nothing while the database is unreachable").isNull();
            } catch (RetriableException e) {
                failures++;
            }
        }
        int attempts = proxy.accepted();
        assertThat(failures).as("polls that failed retriably").isGreaterThanOrEqualTo(2);
        // one connection attempt per backoff at most (connection.attempts=1): 3 s / 300 ms, and one at the start
        assertThat(attempts).as("connection attempts in 3 s (%d failed polls)", failures).isBetween(2, (int) (downFor / 1_000_000 / BACKOFF_MS) + 2);

        proxy.forward();
        List<Integer> ids = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ids.size() < 3) {
            assertThat(System.nanoTime()).as("the rows within 30 s of the database coming back").isLessThan(deadline);
            List<SourceRecord> batch;
            try {
                batch = task.poll();
            } catch (RetriableException e) {
                continue; // a poll that was already failing when the proxy opened
            }
            if (batch != null) {
                batch.forEach(r -> ids.add(((Struct) r.value()).getInt32("id")));
                context.acknowledge(task, batch);
            }
        }
        assertThat(ids).containsExactly(1, 2, 3);
    }

    @Test
    void aLoginTheDatabaseRefusesFailsTheFirstPollForGood() throws Exception {
        table = OutboxDatabases.uniqueName("start_login");
        sql("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        Map<String, String> taskProps = taskProps();
        taskProps.put("connection.user", OutboxDatabases.uniqueName("no_such_role"));
        taskProps.put("connection.password", "secret-start-login");
        task = new JdbcSourceTask();
        task.initialize(new RecordingTaskContext(taskProps, false));
        task.start(taskProps);

        assertThatThrownBy(this::pollUntilFailure).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("could not look up the tables' keys")
                .hasMessageNotContaining("secret-start-login");
    }

    @Test
    void aTableDroppedBeforeTheTaskStartedFailsTheTaskNamingIt() throws Exception {
        table = OutboxDatabases.uniqueName("start_dropped");
        sql("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        Map<String, String> taskProps = taskProps();
        sql("DROP TABLE " + table);
        task = new JdbcSourceTask();
        task.initialize(new RecordingTaskContext(taskProps, false));
        task.start(taskProps);

        assertThatThrownBy(this::pollUntilFailure).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining(table).hasMessageContaining("does not exist");
    }

    private void pollUntilFailure() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            task.poll();
        }
    }

    /** The task config the connector gives for the table, with one connection attempt and a short backoff. */
    private Map<String, String> taskProps() {
        var props = new HashMap<String, String>();
        props.put("name", "start-test");
        props.put("connection.url", DB.url());
        props.put("connection.user", OutboxDatabases.user());
        props.put("connection.password", OutboxDatabases.password());
        props.put("connection.attempts", "1");
        props.put("connection.backoff.ms", Long.toString(BACKOFF_MS));
        props.put("mode", "incrementing");
        props.put("incrementing.column.name", "id");
        props.put("table.include.list", table);
        props.put("topic.prefix", "start.");
        props.put("poll.interval.ms", "50");
        var connector = new JdbcSourceConnector();
        connector.start(props);
        var taskProps = new HashMap<>(connector.taskConfigs(1).get(0));
        connector.stop();
        return taskProps;
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = DB.open(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
