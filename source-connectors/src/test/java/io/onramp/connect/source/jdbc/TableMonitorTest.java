package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.JdbcConnectionSettings;
import io.onramp.connect.source.outbox.OutboxDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The catalog diff of the table monitor on the real PostgreSQL and MariaDB catalogs. */
class TableMonitorTest {

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aCreatedAndADroppedTableChangeTheListingAndTriggerReconfiguration(OutboxDatabases db) throws Exception {
        String prefix = OutboxDatabases.uniqueName("monitored");
        var settings = new JdbcConnectionSettings(db.url(), OutboxDatabases.user(), new Password(OutboxDatabases.password()), 3, 100);
        var connections = new JdbcConnectionFactory(settings, Dialects.forUrl(db.url()));
        var changes = new AtomicInteger();
        try (Connection c = db.open(); Statement s = c.createStatement();
                var monitor = new TableMonitor(connections, List.of(Pattern.compile(prefix + "_.*")),
                        List.of(Pattern.compile(".*_skip")), 100, changes::incrementAndGet)) {
            s.execute("CREATE TABLE " + prefix + "_a (id INT PRIMARY KEY)");
            monitor.start("test");
            assertThat(names(monitor)).containsExactly(prefix + "_a");

            s.execute("CREATE TABLE " + prefix + "_b (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE " + prefix + "_skip (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE other_" + prefix + " (id INT PRIMARY KEY)");
            // The watcher publishes the listing just before it calls back: both are waited for.
            await().atMost(Duration.ofSeconds(30)).until(() -> names(monitor).size() == 2 && changes.get() >= 1);
            assertThat(names(monitor)).containsExactly(prefix + "_a", prefix + "_b");
            assertThat(changes.get()).isEqualTo(1);

            s.execute("DROP TABLE " + prefix + "_a");
            await().atMost(Duration.ofSeconds(30)).until(() -> names(monitor).size() == 1 && changes.get() >= 2);
            assertThat(names(monitor)).containsExactly(prefix + "_b");
            assertThat(changes.get()).isEqualTo(2);
            assertThat(monitor.check()).as("nothing changed since").isFalse();
        } finally {
            try (Connection c = db.open(); Statement s = c.createStatement()) {
                for (String t : List.of(prefix + "_a", prefix + "_b", prefix + "_skip", "other_" + prefix)) {
                    s.execute("DROP TABLE IF EXISTS " + t);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void closeStopsTheWatcherThread(OutboxDatabases db) throws Exception {
        var settings = new JdbcConnectionSettings(db.url(), OutboxDatabases.user(), new Password(OutboxDatabases.password()), 1, 100);
        var monitor = new TableMonitor(new JdbcConnectionFactory(settings, Dialects.forUrl(db.url())),
                List.of(Pattern.compile("no_such_table_prefix_.*")), List.of(), 50, () -> { });
        monitor.start("close-test");
        assertThat(watchers()).isEqualTo(1);
        monitor.close();
        assertThat(watchers()).isZero();
    }

    private static long watchers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("onramp-jdbc-table-monitor-close-test")).count();
    }

    private static List<String> names(TableMonitor monitor) {
        return monitor.tables().stream().map(e -> e.substring(e.lastIndexOf('.') + 1)).toList();
    }
}
