package io.onramp.connect.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class JdbcErrorsTest {

    private final JdbcConnectionSettings settings = new JdbcConnectionSettings("jdbc:postgresql://db/x", "app",
            new Password("s3cr3t!"), 1, 0);

    @Test
    void describeHidesTheConfiguredPassword() {
        String text = JdbcErrors.describe(new SQLException("login failed for app with s3cr3t!", "28P01"), settings);
        assertThat(text).doesNotContain("s3cr3t!").contains("****").contains("SQLState 28P01");
    }

    @Test
    void aReadFailureWhoseTextMayQuoteAValueIsDescribedByItsStateAlone() {
        var parse = new SQLException("ERROR: invalid input syntax for type integer: \"alice@example.com\"", "22P02");
        assertThat(JdbcErrors.describeRead(parse, settings)).isEqualTo("SQLSTATE 22P02 (invalid text representation)");
        var mariaDb = new SQLException("Incorrect integer value: 'alice@example.com' for column 'n' at row 1", "HY000", 1366);
        assertThat(JdbcErrors.describeRead(mariaDb, settings)).isEqualTo("SQLSTATE HY000 (driver or server error, vendor code 1366)");
        var noState = new SQLException("Bad value for type int : alice@example.com");
        assertThat(JdbcErrors.describeRead(noState, settings)).doesNotContain("alice");
    }

    @Test
    void aReadFailureAboutSchemaObjectsKeepsTheServersTextWithThePasswordMasked() {
        var missing = new SQLException("ERROR: column \"s3cr3t!\" does not exist", "42703");
        assertThat(JdbcErrors.describeRead(missing, settings))
                .isEqualTo("SQLSTATE 42703 (undefined column): ERROR: column \"****\" does not exist");
    }

    @Test
    void theStandInCauseHasNoneOfTheOriginalTextOrCausesButItsStateCodeAndTransience() {
        var original = new java.sql.SQLTransientConnectionException("value alice@example.com", "08006", 7,
                new java.io.IOException("alice@example.com"));
        SQLException copy = SqlFailures.withMessage(original, "safe");
        assertThat(copy.getMessage()).isEqualTo("safe");
        assertThat(copy.getCause()).isNull();
        assertThat(copy.getNextException() == null).as("no next exception").isTrue();
        assertThat(copy.getSQLState()).isEqualTo("08006");
        assertThat(copy.getErrorCode()).isEqualTo(7);
        assertThat(copy instanceof java.sql.SQLTransientException).as("transient like the original").isTrue();
        assertThat(copy.getStackTrace()).isEqualTo(original.getStackTrace());
    }

    @Test
    void urlPasswordsAreHidden() {
        assertThat(JdbcErrors.maskUrl("jdbc:postgresql://db/x?user=a&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/x?user=a&password=****&ssl=true");
        assertThat(JdbcErrors.maskUrl("jdbc:mysql://app:hunter2@db:3306/x")).isEqualTo("jdbc:mysql://app:****@db:3306/x");
        assertThat(JdbcErrors.maskUrl("jdbc:sqlserver://db;user=a;Password=hunter2;x=1"))
                .isEqualTo("jdbc:sqlserver://db;user=a;Password=****;x=1");
    }

    @Test
    void settingsToStringNeverShowsThePassword() {
        assertThat(settings.toString()).doesNotContain("s3cr3t!");
    }
}
