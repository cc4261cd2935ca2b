package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.JdbcErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the catalog for tables the include/exclude lists select: every {@code table.poll.interval.ms} it lists
 * them again and, when a table was created or dropped since the last listing, keeps the new list and calls
 * {@code onChange} (the connector asks Connect to reconfigure its tasks). A failed listing is logged and tried
 * again at the next interval; the last good list stays.
 */
final class TableMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TableMonitor.class);

    private final JdbcConnectionFactory connections;
    private final List<Pattern> includes;
    private final List<Pattern> excludes;
    private final long intervalMs;
    private final Runnable onChange;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile List<String> tables;
    private Thread thread;

    TableMonitor(JdbcConnectionFactory connections, List<Pattern> includes, List<Pattern> excludes, long intervalMs,
            Runnable onChange) {
        this.connections = connections;
        this.includes = includes;
        this.excludes = excludes;
        this.intervalMs = intervalMs;
        this.onChange = onChange;
    }

    /** Lists the tables once, now; failures propagate (the connector cannot start without its tables). */
    List<String> list() throws SQLException, InterruptedException {
        try (Connection c = connections.open()) {
            List<String> found = new ArrayList<>();
            for (TableDiscovery.Found table : TableDiscovery.find(c, includes, excludes)) {
                found.add((table.view() ? "V" : "T") + "\t" + table.id().toConfigText());
            }
            return found;
        }
    }

    /** Lists the tables and starts watching the catalog (unless the interval is 0). */
    void start(String connectorName) throws SQLException, InterruptedException {
        tables = List.copyOf(list());
        if (intervalMs <= 0) {
            return;
        }
        thread = new Thread(this::watch, "onramp-jdbc-table-monitor-" + connectorName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The tables of the last listing, each as {@code T|V <tab> schema.table}, in name order. */
    List<String> tables() {
        return tables;
    }

    /** Lists again and reports whether the tables changed (and the new list is kept). */
    boolean check() throws SQLException, InterruptedException {
        List<String> now = List.copyOf(list());
        if (now.equals(tables)) {
            return false;
        }
        List<String> added = new ArrayList<>(now);
        added.removeAll(tables);
        List<String> removed = new ArrayList<>(tables);
        removed.removeAll(now);
        log.info("Tables changed: {} added, {} removed; reconfiguring the tasks", readable(added), readable(removed));
        tables = now;
        return true;
    }

    private void watch() {
        try {
            while (!stopped.await(intervalMs, TimeUnit.MILLISECONDS)) {
                try {
                    if (check()) {
                        onChange.run();
                    }
                } catch (SQLException e) {
                    log.warn("Listing the tables failed, trying again in {} ms: {}", intervalMs,
                            JdbcErrors.describe(e, connections.settings()));
                } catch (RuntimeException e) {
                    log.warn("Watching the tables failed, trying again in {} ms", intervalMs, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> readable(List<String> entries) {
        return entries.stream().map(e -> e.substring(e.indexOf('\t') + 1)).toList();
    }

    /** Stops watching and waits (bounded) for the watcher to end. */
    @Override
    public void close() {
        stopped.countDown();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
