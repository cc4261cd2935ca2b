package io.onramp.connect.core.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * PostgreSQL: double-quoted identifiers; rows stream only through a server-side cursor, which the driver uses when
 * autocommit is off and a fetch size is set.
 */
public final class PostgresDialect implements Dialect {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public PreparedStatement prepareStreamingQuery(Connection connection, String sql, int fetchSize,
            int queryTimeoutSeconds) throws SQLException {
        if (connection.getAutoCommit()) {
            connection.setAutoCommit(false); // without a transaction the driver reads the whole result into memory
        }
        return Dialect.super.prepareStreamingQuery(connection, sql, fetchSize, queryTimeoutSeconds);
    }

    @Override
    public java.time.Instant now(Connection connection) throws SQLException {
        try (var statement = connection.createStatement(); var rs = statement.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    @Override
    public boolean isAuthenticationFailure(SQLException e) {
        return SqlErrors.hasState(e, "28"); // 28P01 invalid_password, 28000 invalid_authorization_specification
    }

    @Override
    public boolean isMissingObject(SQLException e) {
        return SqlErrors.hasState(e, "42P01") || SqlErrors.hasState(e, "42703") || SqlErrors.hasState(e, "3F000");
    }
}
