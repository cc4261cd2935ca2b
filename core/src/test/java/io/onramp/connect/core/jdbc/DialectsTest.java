package io.onramp.connect.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import org.junit.jupiter.api.Test;

class DialectsTest {

    private final Dialect postgres = Dialects.forUrl("jdbc:postgresql://db:5432/x");
    private final Dialect mariadb = Dialects.forUrl("jdbc:mariadb://db:3306/x");

    @Test
    void choosesTheDialectFromTheUrl() {
        assertThat(postgres).isInstanceOf(PostgresDialect.class);
        assertThat(mariadb).isInstanceOf(MariaDbDialect.class);
        assertThat(Dialects.forUrl("jdbc:mysql://db/x")).isInstanceOf(MariaDbDialect.class);
        assertThat(Dialects.forUrl(" JDBC:PostgreSQL://db/x")).isInstanceOf(PostgresDialect.class);
        assertThat(Dialects.forUrl("jdbc:h2:mem:x")).isInstanceOf(GenericDialect.class);
    }

    @Test
    void quotesIdentifiersAndDoublesEmbeddedQuotes() {
        assertThat(postgres.quoteIdentifier("a\"b; DROP TABLE t")).isEqualTo("\"a\"\"b; DROP TABLE t\"");
        assertThat(mariadb.quoteIdentifier("a`b")).isEqualTo("`a``b`");
        assertThat(new GenericDialect("`").quoteIdentifier("x`")).isEqualTo("`x```");
        assertThat(new GenericDialect(" ").quoteIdentifier("x")).isEqualTo("\"x\"");
    }

    @Test
    void qualifiesEveryPartPresent() {
        assertThat(postgres.qualify(TableId.parse("public.orders"))).isEqualTo("\"public\".\"orders\"");
        assertThat(mariadb.qualify(TableId.parse("shop.orders"))).isEqualTo("`shop`.`orders`");
        assertThat(mariadb.qualify(new TableId("c", "s", "t"))).isEqualTo("`c`.`s`.`t`");
    }

    @Test
    void connectionLossDeadlockAndSerializationFailuresAreRetriable() {
        assertThat(postgres.isRetriable(new SQLException("gone", "08006"))).isTrue();
        assertThat(postgres.isRetriable(new SQLException("serialization", "40001"))).isTrue();
        assertThat(postgres.isRetriable(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(postgres.isRetriable(new SQLException("shutting down", "57P01"))).isTrue();
        assertThat(mariadb.isRetriable(new SQLException("Deadlock found", "40001", 1213))).isTrue();
        assertThat(mariadb.isRetriable(new SQLException("Lock wait timeout", "HY000", 1205))).isTrue();
        assertThat(mariadb.isRetriable(new SQLException("gone away", "HY000", 2006))).isTrue();
        assertThat(postgres.isRetriable(new SQLTransactionRollbackException("rolled back"))).isTrue();
    }

    @Test
    void retriableCausesAreFoundThroughTheChain() {
        SQLException outer = new SQLException("batch failed", "XX000");
        outer.setNextException(new SQLException("gone", "08003"));
        assertThat(postgres.isRetriable(outer)).isTrue();
        assertThat(postgres.isRetriable(new SQLException("wrapped", "XX000", new SQLException("lost", "08006")))).isTrue();
    }

    @Test
    void syntaxMissingTablesAndRefusedLoginsAreNotRetriable() {
        assertThat(postgres.isRetriable(new SQLException("no such table", "42P01"))).isFalse();
        assertThat(postgres.isRetriable(new SQLException("password authentication failed", "28P01"))).isFalse();
        assertThat(mariadb.isRetriable(new SQLException("Access denied", "28000", 1045))).isFalse();
        assertThat(mariadb.isRetriable(new SQLException("Table doesn't exist", "42S02", 1146))).isFalse();
        assertThat(mariadb.isRetriable(new SQLException("Duplicate entry", "23000", 1062))).isFalse();
        assertThat(mariadb.isRetriable(new SQLNonTransientConnectionException("Access denied", "28000", 1045))).isFalse();
    }

    @Test
    void recognisesRefusedLoginsAndMissingObjects() {
        assertThat(postgres.isAuthenticationFailure(new SQLException("x", "28P01"))).isTrue();
        assertThat(mariadb.isAuthenticationFailure(new SQLException("x", "HY000", 1045))).isTrue();
        assertThat(postgres.isMissingObject(new SQLException("x", "42P01"))).isTrue();
        assertThat(postgres.isMissingObject(new SQLException("x", "42703"))).isTrue();
        assertThat(mariadb.isMissingObject(new SQLException("x", "42S02", 1146))).isTrue();
        assertThat(mariadb.isMissingObject(new SQLException("x", "42S22", 1054))).isTrue();
        assertThat(postgres.isMissingObject(new SQLException("x", "23505"))).isFalse();
    }

    @Test
    void onlyMariaDbTimestampColumnsHoldInstants() {
        var timestamp = new ColumnDescriptor("t", java.sql.Types.TIMESTAMP, "TIMESTAMP", 19, 0, true, true);
        var datetime = new ColumnDescriptor("t", java.sql.Types.TIMESTAMP, "DATETIME", 19, 0, true, true);
        var pgTimestamp = new ColumnDescriptor("t", java.sql.Types.TIMESTAMP, "timestamp", 29, 6, true, true);
        assertThat(mariadb.timestampColumnIsInstant(timestamp)).isTrue();
        assertThat(mariadb.timestampColumnIsInstant(datetime)).isFalse();
        assertThat(postgres.timestampColumnIsInstant(pgTimestamp)).isFalse();
    }
}
