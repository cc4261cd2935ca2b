package io.onramp.connect.core.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What differs between databases, behind one interface: identifier quoting, how a statement streams its rows,
 * which errors are worth retrying, and the few type facts {@link ColumnMapper} needs. Get one from {@link
 * Dialects#forUrl}; instances are immutable and safe to share.
 */
public interface Dialect {

    /** A short name for logs and docs: {@code postgresql}, {@code mariadb}, {@code generic}. */
    String name();

    /** The identifier in the database's quotes, embedded quote characters doubled; never returns it bare. */
    String quoteIdentifier(String identifier);

    /** The table's parts quoted and joined with dots, e.g. {@code "public"."orders"}. */
    default String qualify(TableId table) {
        StringBuilder out = new StringBuilder();
        if (table.catalog() != null) {
            out.append(quoteIdentifier(table.catalog())).append('.');
        }
        if (table.schema() != null) {
            out.append(quoteIdentifier(table.schema())).append('.');
        }
        return out.append(quoteIdentifier(table.table())).toString();
    }

    /**
     * Called once on every connection the factory opens (session settings, e.g. MariaDB's session time zone so
     * that TIMESTAMP columns read as UTC instants).
     */
    default void initialize(Connection connection) throws SQLException {
    }

    /**
     * A forward-only, read-only statement set up to stream: the driver holds at most about {@code fetchSize} rows
     * at a time instead of the whole result. On PostgreSQL this turns autocommit off on the connection (a cursor
     * lives in a transaction); the caller commits or rolls back when done reading.
     *
     * @param queryTimeoutSeconds the statement's timeout, 0 for none
     */
    default PreparedStatement prepareStreamingQuery(Connection connection, String sql, int fetchSize,
            int queryTimeoutSeconds) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(fetchSize);
        statement.setQueryTimeout(queryTimeoutSeconds);
        return statement;
    }

    /**
     * Whether the failure is transient (connection lost or refused, server restarting, deadlock, serialization
     * failure, lock wait timeout), so the same work should be retried on a new connection. Looks through the
     * exception's causes and chained exceptions.
     */
    default boolean isRetriable(SQLException e) {
        return SqlErrors.isRetriable(e, this::isVendorRetriable);
    }

    /** Vendor error codes that are transient on this database, on top of the standard SQLStates. */
    default boolean isVendorRetriable(SQLException e) {
        return false;
    }

    /** Whether the failure says the login was refused (wrong user or password). */
    default boolean isAuthenticationFailure(SQLException e) {
        return SqlErrors.hasState(e, "28");
    }

    /** Whether the failure says a table or column does not exist. */
    default boolean isMissingObject(SQLException e) {
        return SqlErrors.hasState(e, "42S02") || SqlErrors.hasState(e, "42S22")
                || SqlErrors.hasState(e, "42P01") || SqlErrors.hasState(e, "42703");
    }

    /** The database server's current time (its clock decides what "recent" means for visibility windows). */
    default java.time.Instant now(Connection connection) throws SQLException {
        try (var statement = connection.createStatement(); var rs = statement.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /**
     * Whether a column read as {@link java.sql.Types#TIMESTAMP} stores an instant (converted by the server to the
     * session time zone, which {@link #initialize} sets to UTC) rather than a wall-clock time. MariaDB's {@code
     * TIMESTAMP} does; its {@code DATETIME} and PostgreSQL's {@code timestamp} do not.
     */
    default boolean timestampColumnIsInstant(ColumnDescriptor column) {
        return false;
    }
}
