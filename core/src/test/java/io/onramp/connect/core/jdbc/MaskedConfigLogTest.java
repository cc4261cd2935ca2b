package io.onramp.connect.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class MaskedConfigLogTest {

    @Test
    void passwordsInsideUrlsAndPasswordKeysNeverReachTheLogText() {
        String text = MaskedConfigLog.render("JdbcSourceConfig", Map.of(
                "connection.url", "jdbc:postgresql://db:5432/crm?user=app&password=s3cr3t-in-url",
                "connection.password", new Password("s3cr3t-key"),
                "table.include.list", java.util.List.of("customers")));

        assertThat(text).doesNotContain("s3cr3t").contains("password=****")
                .contains("connection.url = jdbc:postgresql://db:5432/crm?user=app&password=****")
                .contains("connection.password = [hidden]").contains("table.include.list = [customers]");
    }

    @Test
    void userInfoPasswordIsHidden() {
        assertThat(MaskedConfigLog.render("X", Map.of("connection.url", "jdbc:mariadb://app:pw123@db/crm")))
                .doesNotContain("pw123").contains("jdbc:mariadb://app:****@db/crm");
    }
}
