package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL and MariaDB servers the tests use, as {@code bash scripts/db-services.sh} sets them up. Settings
 * come from the environment, with the script's defaults:
 * <ul>
 *   <li>{@code ONRAMP_PG_URL} (default {@value #DEFAULT_PG_URL})</li>
 *   <li>{@code ONRAMP_MARIADB_URL} (default {@value #DEFAULT_MARIADB_URL})</li>
 *   <li>{@code ONRAMP_DB_USER} / {@code ONRAMP_DB_PASSWORD} (default {@code onramp} / {@code onramp})</li>
 * </ul>
 * A server that cannot be reached FAILS the test (never skips it) with a message saying how to start it. Other test
 * classes use the same servers at the same time: name tables with {@link #uniqueName} (prefix with the test class)
 * and drop them in teardown.
 *
 * <pre>{@code
 * try (var table = TestDatabases.POSTGRES.createTable("MyIT_orders", "id BIGINT PRIMARY KEY, name TEXT")) {
 *     TestDatabases.POSTGRES.execute("INSERT INTO " + table.quoted() + " VALUES (1, 'a')");
 *     ... connector config: TestDatabases.POSTGRES.connectorProps() + "table.include.list" = table.name()
 * } // dropped
 * }</pre>
 */
public enum TestDatabases {
    POSTGRES("ONRAMP_PG_URL", TestDatabases.DEFAULT_PG_URL, '"'),
    MARIADB("ONRAMP_MARIADB_URL", TestDatabases.DEFAULT_MARIADB_URL, '`');

    public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String DEFAULT_MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

    private final String urlVariable;
    private final String defaultUrl;
    private final char quote;

    TestDatabases(String urlVariable, String defaultUrl, char quote) {
        this.urlVariable = urlVariable;
        this.defaultUrl = defaultUrl;
        this.quote = quote;
    }

    public String url() {
        return env(urlVariable, defaultUrl);
    }

    public static String user() {
        return env("ONRAMP_DB_USER", "onramp");
    }

    public static String password() {
        return env("ONRAMP_DB_PASSWORD", "onramp");
    }

    /** The {@code connection.*} keys of a connector config for this database. */
    public java.util.Map<String, String> connectionProps() {
        var props = new java.util.LinkedHashMap<String, String>();
        props.put("connection.url", url());
        props.put("connection.user", user());
        props.put("connection.password", password());
        return props;
    }

    /**
     * A new connection (autocommit on). Fails the test with how to start the server when it cannot be reached.
     */
    public Connection open() {
        try {
            return DriverManager.getConnection(url(), user(), password());
        } catch (SQLException e) {
            return fail(name() + " at " + url() + " as " + user() + " is not reachable (" + e.getMessage()
                    + "). Start the test databases with `bash scripts/db-services.sh` (or point " + urlVariable
                    + ", ONRAMP_DB_USER and ONRAMP_DB_PASSWORD at running servers).", e);
        }
    }

    /** Runs each statement on a fresh connection; SQL failures fail the test. */
    public void execute(String... statements) {
        try (Connection c = open(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("SQL failed on " + name() + ": " + e.getMessage(), e);
        }
    }

    /** The identifier in this database's quotes, embedded quotes doubled. */
    public String quote(String identifier) {
        String q = String.valueOf(quote);
        return q + identifier.replace(q, q + q) + q;
    }

    /** {@code prefix} plus a random suffix, lower case, safe as an unquoted identifier on both databases. */
    public static String uniqueName(String prefix) {
        return (prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36))
                .toLowerCase(Locale.ROOT);
    }

    /** Creates a uniquely named table ({@link #uniqueName} of {@code prefix}) with the given column definitions. */
    public Table createTable(String prefix, String columnDefinitions) {
        return createNamedTable(uniqueName(prefix), columnDefinitions);
    }

    /** Creates the table with exactly this name (which may hold any character; it is quoted). */
    public Table createNamedTable(String name, String columnDefinitions) {
        Table table = new Table(this, name);
        execute("DROP TABLE IF EXISTS " + table.quoted(), "CREATE TABLE " + table.quoted() + " (" + columnDefinitions + ")");
        return table;
    }

    /** Drops the table if it exists. */
    public void dropTable(String name) {
        execute("DROP TABLE IF EXISTS " + quote(name));
    }

    /** A table a test created; closing drops it. */
    public record Table(TestDatabases database, String name) implements AutoCloseable {
        public String quoted() {
            return database.quote(name);
        }

        @Override
        public void close() {
            database.dropTable(name);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
