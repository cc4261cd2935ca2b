package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.OutboxDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How the connector spreads the tables it found on the real PostgreSQL and MariaDB catalogs over tasks.max. */
class JdbcSourceConnectorTest {

    private static final int TABLES = 7;

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void tablesAreSplitIntoDisjointBalancedSharesCoveringEveryTable(OutboxDatabases db) throws Exception {
        String prefix = OutboxDatabases.uniqueName("jt_share");
        List<String> names = IntStream.rangeClosed(1, TABLES).mapToObj(i -> prefix + "_" + i).toList();
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            for (String name : names) {
                s.execute("CREATE TABLE " + name + " (id INT PRIMARY KEY)");
            }
            s.execute("CREATE TABLE other_" + prefix + " (id INT PRIMARY KEY)");
            var connector = new JdbcSourceConnector();
            connector.start(props(db, prefix));
            try {
                for (int maxTasks : List.of(1, 2, 3, 4, TABLES, TABLES + 3)) {
                    List<Map<String, String>> configs = connector.taskConfigs(maxTasks);
                    assertThat(configs).as("tasks for %d tables, tasks.max %d", TABLES, maxTasks).hasSize(Math.min(maxTasks, TABLES));
                    List<Set<String>> shares = new ArrayList<>();
                    for (var config : configs) {
                        shares.add(tableNames(config.get(JdbcSourceTask.TABLES)));
                        assertThat(config).as("a task gets the connector's settings too").containsEntry("mode", "bulk");
                    }
                    Set<String> covered = new HashSet<>();
                    int total = 0;
                    for (Set<String> share : shares) {
                        assertThat(share).as("tasks.max %d: every task has a table", maxTasks).isNotEmpty();
                        covered.addAll(share);
                        total += share.size();
                    }
                    assertThat(covered).as("tasks.max %d: every table, nothing else", maxTasks).containsExactlyInAnyOrderElementsOf(names);
                    assertThat(total).as("tasks.max %d: no table in two shares", maxTasks).isEqualTo(TABLES);
                    int smallest = shares.stream().mapToInt(Set::size).min().orElseThrow();
                    int largest = shares.stream().mapToInt(Set::size).max().orElseThrow();
                    assertThat(largest - smallest).as("tasks.max %d: shares %s balanced", maxTasks, shares).isLessThanOrEqualTo(1);
                }
            } finally {
                connector.stop();
            }
        } finally {
            try (Connection c = db.open(); Statement s = c.createStatement()) {
                for (String name : names) {
                    s.execute("DROP TABLE IF EXISTS " + name);
                }
                s.execute("DROP TABLE IF EXISTS other_" + prefix);
            }
        }
    }

    private static Map<String, String> props(OutboxDatabases db, String prefix) {
        Map<String, String> props = new HashMap<>();
        props.put("name", prefix);
        props.put("connection.url", db.url());
        props.put("connection.user", OutboxDatabases.user());
        props.put("connection.password", OutboxDatabases.password());
        props.put("mode", "bulk");
        props.put("topic.prefix", prefix + ".");
        props.put("table.include.list", prefix + "_.*");
        props.put("table.poll.interval.ms", "0"); // list once: no watcher thread, no reconfiguration request
        return props;
    }

    /** The bare table names of a task's share ({@code T|V <tab> schema.table} per line). */
    private static Set<String> tableNames(String share) {
        Set<String> names = new HashSet<>();
        for (String entry : TaskTables.decode(share)) {
            String qualified = entry.split("\t", 2)[1];
            names.add(Arrays.asList(qualified.split("\\.")).get(qualified.split("\\.").length - 1));
        }
        return names;
    }
}
