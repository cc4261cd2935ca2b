package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A read the database refuses because of one row's value: the task fails with an error naming the query, the
 * SQLSTATE and the kind of error, and neither its REST status trace nor any log line holds the value (PostgreSQL's
 * 22P02 text quotes it).
 */
class JdbcSourceReadErrorTest {

    private static OnrampConnect connect;
    private static final Logs logs = new Logs();

    @BeforeAll
    static void start() {
        logs.attach();
        connect = OnrampConnect.start("jdbc-read-error", false);
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
        logs.detach();
    }

    @Test
    void aCastFailingOnOneRowFailsTheTaskWithTheSqlStateButNeverTheRowsValue() throws Exception {
        var db = TestDatabases.POSTGRES;
        String value = "alice-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        try (var table = db.createTable("jdbcreaderror_cast", "id INT PRIMARY KEY, v TEXT")) {
            db.execute("INSERT INTO " + table.quoted() + " VALUES (1, '7'), (2, '" + value + "')");
            Map<String, String> config = new HashMap<>(db.connectionProps());
            config.put("connector.class", "io.onramp.connect.source.jdbc.JdbcSourceConnector");
            config.put("tasks.max", "1");
            config.put("mode", "bulk");
            config.put("query", "SELECT id, CAST(v AS INTEGER) AS n FROM " + table.quoted());
            config.put("topic.prefix", "jdbcreaderror-cast");
            config.put("poll.interval.ms", "200");
            config.put("topic.creation.default.replication.factor", "1");
            config.put("topic.creation.default.partitions", "1");
            connect.create("read-error", config);
            connect.awaitTaskFailed("read-error");

            String trace = connect.taskTrace("read-error", 0);
            assertThat(trace).as("the task's error names the query, the SQLSTATE and the kind of error")
                    .contains("custom query").contains("22P02").contains("invalid text representation");
            assertThat(trace).as("the REST status trace, cause chain included").doesNotContain(value);
            List<String> lines = logs.lines();
            assertThat(lines).as("the worker logged the failure").anyMatch(line -> line.contains("22P02"));
            assertThat(lines).as("no log line or logged stack trace").noneMatch(line -> line.contains(value));
            connect.delete("read-error");
        }
    }

    /** Every event the worker logs (at the configured levels), with its throwable's stack trace and causes. */
    private static final class Logs extends AbstractAppender {
        private final List<String> lines = new CopyOnWriteArrayList<>();

        Logs() {
            super("jdbc-read-error-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder line = new StringBuilder(event.getLoggerName()).append(": ")
                    .append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        void attach() {
            start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().addAppender(this, null, null);
            context.updateLoggers();
        }

        void detach() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().removeAppender(getName());
            context.updateLoggers();
            stop();
        }
    }
}
