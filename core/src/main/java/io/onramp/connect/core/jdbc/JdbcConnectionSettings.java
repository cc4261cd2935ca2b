package io.onramp.connect.core.jdbc;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.types.Password;

/**
 * The typed {@code connection.*} settings.
 *
 * @param url       the JDBC URL
 * @param user      the login, or null
 * @param password  the password (a Connect {@link Password}: its {@code toString()} is hidden), or null
 * @param attempts  attempts to open a connection, at least 1
 * @param backoffMs wait between attempts
 */
public record JdbcConnectionSettings(String url, String user, Password password, int attempts, long backoffMs) {

    public JdbcConnectionSettings {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** Reads the keys {@link JdbcConnectionConfig#define} added from any config holding them. */
    public static JdbcConnectionSettings from(AbstractConfig config) {
        return new JdbcConnectionSettings(
                config.getString(JdbcConnectionConfig.URL).strip(),
                config.getString(JdbcConnectionConfig.USER),
                config.getPassword(JdbcConnectionConfig.PASSWORD),
                config.getInt(JdbcConnectionConfig.ATTEMPTS),
                config.getLong(JdbcConnectionConfig.BACKOFF_MS));
    }

    /** The password's text, or null; for the driver only. */
    String passwordValue() {
        return password == null ? null : password.value();
    }

    @Override
    public String toString() {
        return "JdbcConnectionSettings[url=" + JdbcErrors.maskUrl(url) + ", user=" + user + ", password=[hidden], attempts="
                + attempts + ", backoffMs=" + backoffMs + "]";
    }
}
