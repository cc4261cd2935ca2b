package io.onramp.connect.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlFailuresTest {

    @Test
    void descriptionKeepsTheStateButNotTheServersTextWhichMayQuoteValues() {
        var e = new SQLException("ERROR: duplicate key value violates unique constraint; Detail: Key (id)=(Secret 42) already exists",
                "23505");
        assertThat(SqlFailures.describe(e)).isEqualTo("SQLSTATE 23505 (unique or primary key violation)")
                .doesNotContain("Secret");
        assertThat(SqlFailures.describe(new SQLException("Data too long for column 'name' at row 1", "22001", 1406)))
                .isEqualTo("SQLSTATE 22001 (value too long for the column, vendor code 1406)");
    }
}
