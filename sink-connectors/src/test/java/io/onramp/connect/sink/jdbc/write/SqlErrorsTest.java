package io.onramp.connect.sink.jdbc.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @Test
    void connectionLossDeadlockAndSerializationFailuresAreTransient() {
        assertThat(SqlErrors.isTransient(new SQLException("x", "08006"))).isTrue();
        assertThat(SqlErrors.isTransient(new SQLException("x", "40001"))).isTrue();
        assertThat(SqlErrors.isTransient(new SQLException("x", "40P01"))).isTrue();
        assertThat(SqlErrors.isTransient(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(SqlErrors.isTransient(new SQLException("Deadlock found", "40001", 1213))).isTrue();
        assertThat(SqlErrors.isTransient(new SQLTransientConnectionException("x"))).isTrue();
    }

    @Test
    void badValuesAndConstraintsAreNotTransient() {
        assertThat(SqlErrors.isTransient(new SQLException("x", "22001"))).isFalse();
        assertThat(SqlErrors.isTransient(new SQLException("x", "23505"))).isFalse();
        assertThat(SqlErrors.isTransient(new SQLException("x", "23502"))).isFalse();
    }

    @Test
    void descriptionKeepsTheStateButNotTheServersTextWhichMayQuoteValues() {
        var e = new SQLException("ERROR: duplicate key value violates unique constraint; Detail: Key (id)=(Secret 42) already exists",
                "23505");
        assertThat(SqlErrors.describe(e)).isEqualTo("SQLSTATE 23505 (unique or primary key violation)")
                .doesNotContain("Secret");
        assertThat(SqlErrors.describe(new SQLException("Data too long for column 'name' at row 1", "22001", 1406)))
                .isEqualTo("SQLSTATE 22001 (value too long for the column, vendor code 1406)");
    }
}
