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
