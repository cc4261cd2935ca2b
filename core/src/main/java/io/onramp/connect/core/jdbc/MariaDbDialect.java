package io.onramp.connect.core.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * MariaDB and MySQL: back-quoted identifiers. MariaDB Connector/J 3.x streams a result when the fetch size is
 * positive (no {@code useCursorFetch} needed, unlike MySQL Connector/J, which needs {@code useCursorFetch=true}
 * in the URL for a fetch size to stream). Each session runs in UTC so that {@code TIMESTAMP} columns, which the
 * server converts to the session time zone, read as UTC instants.
 */
public final class MariaDbDialect implements Dialect {

    /** ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, server gone away / lost, killed connection, too many connections. */
    private static final int[] TRANSIENT_CODES = {1213, 1205, 2006, 2013, 1927, 1040, 1053};

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public void initialize(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET time_zone = '+00:00'");
        }
    }

    @Override
    public java.time.Instant now(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); var rs = statement.executeQuery("SELECT UTC_TIMESTAMP(6)")) {
            rs.next();
            return rs.getObject(1, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC);
        }
    }

    @Override
    public boolean isVendorRetriable(SQLException e) {
        return SqlErrors.hasErrorCode(e, TRANSIENT_CODES);
    }

    @Override
    public boolean isAuthenticationFailure(SQLException e) {
        return SqlErrors.hasState(e, "28") || SqlErrors.hasErrorCode(e, 1045, 1044); // access denied
    }

    @Override
    public boolean isMissingObject(SQLException e) {
        return SqlErrors.hasErrorCode(e, 1146, 1054, 1049) || SqlErrors.hasState(e, "42S02") || SqlErrors.hasState(e, "42S22");
    }

    @Override
    public boolean timestampColumnIsInstant(ColumnDescriptor column) {
        return column.typeName() != null && column.typeName().toUpperCase(Locale.ROOT).startsWith("TIMESTAMP");
    }
}
