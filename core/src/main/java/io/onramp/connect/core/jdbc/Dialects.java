package io.onramp.connect.core.jdbc;

import java.util.Locale;

/** Picks the {@link Dialect} for a JDBC URL. */
public final class Dialects {

    private Dialects() {
    }

    /**
     * {@code jdbc:postgresql:} → {@link PostgresDialect}; {@code jdbc:mariadb:} and {@code jdbc:mysql:} → {@link
     * MariaDbDialect}; anything else → {@link GenericDialect}.
     */
    public static Dialect forUrl(String url) {
        String lower = url == null ? "" : url.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
            return new MariaDbDialect();
        }
        return new GenericDialect();
    }
}
