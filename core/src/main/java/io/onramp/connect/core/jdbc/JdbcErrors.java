package io.onramp.connect.core.jdbc;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Error texts about database failures that are safe to log and to show in the REST API: no password in them. */
public final class JdbcErrors {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password\\s*=\\s*)([^&;?\\s]*)");
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/@:\\s]*:)([^/@\\s]*)(@)");

    private JdbcErrors() {
    }

    /**
     * The failure's message (and SQLState) with the configured password, and any password in a URL, replaced by
     * {@code ****}.
     */
    public static String describe(SQLException e, JdbcConnectionSettings settings) {
        StringBuilder text = new StringBuilder();
        text.append(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        if (e.getSQLState() != null) {
            text.append(" (SQLState ").append(e.getSQLState()).append(')');
        }
        return mask(text.toString(), settings);
    }

    /**
     * A failed query or read of rows, safe for logs, task errors and the REST API: its SQLSTATE, the kind of error
     * and the vendor code; the server's text (password masked) only when its SQLSTATE class names objects and
     * never values (see {@link SqlFailures#textHoldsNoValues}). PostgreSQL's 22P02, for one, quotes the row value
     * that failed to parse.
     */
    public static String describeRead(SQLException e, JdbcConnectionSettings settings) {
        String reason = SqlFailures.describe(e);
        if (!SqlFailures.textHoldsNoValues(e) || e.getMessage() == null) {
            return reason;
        }
        return reason + ": " + mask(e.getMessage(), settings);
    }

    /** {@code text} with the settings' password and any URL password replaced by {@code ****}. */
    public static String mask(String text, JdbcConnectionSettings settings) {
        if (text == null) {
            return null;
        }
        String masked = text;
        String password = settings == null ? null : settings.passwordValue();
        if (password != null && !password.isEmpty()) {
            masked = masked.replace(password, "****");
        }
        return maskUrl(masked);
    }

    /** A URL (or any text containing one) with {@code password=...} values and {@code user:password@} hidden. */
    public static String maskUrl(String text) {
        if (text == null) {
            return null;
        }
        String masked = URL_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "****"));
        return URL_USERINFO.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "****" + m.group(3)));
    }
}
