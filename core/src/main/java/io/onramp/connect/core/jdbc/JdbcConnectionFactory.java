package io.onramp.connect.core.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections with the configured retries: a transient failure (see {@link Dialect#isRetriable}) is tried
 * again {@code connection.attempts} times in all, {@code connection.backoff.ms} apart; a refused login or any other
 * failure is thrown at once. Every connection is {@linkplain Dialect#initialize initialized} by the dialect.
 *
 * <p>Drivers are found with {@link ServiceLoader} in this plugin's class loader first (Connect's plugin isolation
 * hides bundled drivers from {@link DriverManager}), then through {@link DriverManager} (drivers on the worker's
 * classpath). Thread-safe.
 */
public final class JdbcConnectionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcConnectionFactory.class);

    private final JdbcConnectionSettings settings;
    private final Dialect dialect;

    public JdbcConnectionFactory(JdbcConnectionSettings settings, Dialect dialect) {
        this.settings = settings;
        this.dialect = dialect;
    }

    public JdbcConnectionSettings settings() {
        return settings;
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * A new, initialized connection.
     *
     * @throws SQLException the last failure, its message free of the password, when every attempt failed or the
     *                      failure is not transient
     * @throws InterruptedException when interrupted while backing off
     */
    public Connection open() throws SQLException, InterruptedException {
        return open(settings.attempts());
    }

    /** Like {@link #open()} with a different number of attempts (e.g. 1 for a quick check at validate time). */
    public Connection open(int attempts) throws SQLException, InterruptedException {
        SQLException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return connectOnce();
            } catch (SQLException e) {
                last = e;
                if (!dialect.isRetriable(e) || attempt == attempts) {
                    break;
                }
                LOG.warn("Could not connect to {} (attempt {} of {}): {}; retrying in {} ms", JdbcErrors.maskUrl(settings.url()),
                        attempt, attempts, JdbcErrors.describe(e, settings), settings.backoffMs());
                Thread.sleep(settings.backoffMs());
            }
        }
        throw safe(last);
    }

    private Connection connectOnce() throws SQLException {
        Properties props = new Properties();
        if (settings.user() != null) {
            props.setProperty("user", settings.user());
        }
        if (settings.passwordValue() != null) {
            props.setProperty("password", settings.passwordValue());
        }
        Driver driver = driverFor(settings.url());
        Connection connection = driver.connect(settings.url(), props);
        if (connection == null) {
            throw new SQLException("the driver " + driver.getClass().getName() + " does not accept the URL " + JdbcErrors.maskUrl(settings.url()));
        }
        try {
            dialect.initialize(connection);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    private static Driver driverFor(String url) throws SQLException {
        for (Driver driver : ServiceLoader.load(Driver.class, JdbcConnectionFactory.class.getClassLoader())) {
            if (driver.acceptsURL(url)) {
                return driver;
            }
        }
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new SQLException("no JDBC driver accepts the URL " + JdbcErrors.maskUrl(url)
                    + "; PostgreSQL and MariaDB/MySQL drivers are bundled, others go in the plugin's directory");
        }
    }

    /** The failure re-made with a masked message, keeping its SQLState, vendor code and class of retriability. */
    private SQLException safe(SQLException e) {
        return SqlFailures.withMessage(e, JdbcErrors.describe(e, settings));
    }
}
