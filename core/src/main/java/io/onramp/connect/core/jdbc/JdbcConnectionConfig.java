package io.onramp.connect.core.jdbc;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code connection.*} keys, named as in Confluent's JDBC connectors, defined once for every plugin that
 * talks to a database: {@code JdbcConnectionConfig.define(new ConfigDef())} adds them in the group {@value
 * #GROUP}; {@link JdbcConnectionSettings#from} reads them back.
 */
public final class JdbcConnectionConfig {

    public static final String GROUP = "Connection";

    public static final String URL = "connection.url";
    public static final String USER = "connection.user";
    public static final String PASSWORD = "connection.password";
    public static final String ATTEMPTS = "connection.attempts";
    public static final String BACKOFF_MS = "connection.backoff.ms";

    private JdbcConnectionConfig() {
    }

    /** Adds the five keys to {@code def} and returns it. */
    public static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
                .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, jdbcUrl(), Importance.HIGH,
                        "The JDBC URL of the database, e.g. jdbc:postgresql://db:5432/sales or "
                                + "jdbc:mariadb://db:3306/sales. PostgreSQL and MariaDB/MySQL drivers are bundled; "
                                + "any other driver on the plugin's path is used generically. Put the password in "
                                + "connection.password, not in the URL.",
                        GROUP, ++order, Width.LONG, "JDBC URL")
                .define(USER, Type.STRING, null, Importance.HIGH,
                        "The database user to log in as (or none, when the URL or driver carries it).",
                        GROUP, ++order, Width.MEDIUM, "User")
                .define(PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                        "The database user's password. Never logged or shown in errors; use a config provider "
                                + "(e.g. ${file:/secrets/db.properties:password}) to keep it out of the connector config.",
                        GROUP, ++order, Width.MEDIUM, "Password")
                .define(ATTEMPTS, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "How many times to try to open a connection before giving up; only transient failures "
                                + "(refused, lost, server starting) are retried, a refused login is not.",
                        GROUP, ++order, Width.SHORT, "Connection attempts")
                .define(BACKOFF_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "How long to wait between two attempts to open a connection, in milliseconds.",
                        GROUP, ++order, Width.SHORT, "Connection backoff (ms)");
    }

    /** A {@code jdbc:<subprotocol>:...} URL. */
    public static ConfigDef.Validator jdbcUrl() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                String url = value.toString().strip();
                if (!url.toLowerCase(Locale.ROOT).matches("jdbc:[a-z0-9]+:.+")) {
                    throw new ConfigException(name, JdbcErrors.maskUrl(url),
                            "'" + name + "' must be a JDBC URL such as jdbc:postgresql://host:5432/db or jdbc:mariadb://host:3306/db");
                }
            }

            @Override
            public String toString() {
                return "a JDBC URL (jdbc:<driver>:...)";
            }
        };
    }
}
