package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The test databases for the commit-order readers (the same servers and environment variables as integration-tests'
 * TestDatabases, which this module cannot see): a server that cannot be reached fails the test.
 */
public enum OutboxDatabases {
    POSTGRES("ONRAMP_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
    MARIADB("ONRAMP_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");

    private final String variable;
    private final String fallback;

    OutboxDatabases(String variable, String fallback) {
        this.variable = variable;
        this.fallback = fallback;
    }

    public String url() {
        return env(variable, fallback);
    }

    public static String user() {
        return env("ONRAMP_DB_USER", "onramp");
    }

    public static String password() {
        return env("ONRAMP_DB_PASSWORD", "onramp");
    }

    public Connection open() {
        String url = url();
        try {
            return DriverManager.getConnection(url, user(), password());
        } catch (SQLException e) {
            return fail(name() + " at " + url + " is not reachable (" + e.getMessage()
                    + "). Start the test databases with `bash scripts/db-services.sh`.", e);
        }
    }

    public static String uniqueName(String prefix) {
        return (prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36)).toLowerCase(Locale.ROOT);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
