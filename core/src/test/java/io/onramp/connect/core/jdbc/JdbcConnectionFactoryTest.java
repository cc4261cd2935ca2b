package io.onramp.connect.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/** Failure paths only (no database needed): nothing listens on port 1 of this machine. */
class JdbcConnectionFactoryTest {

    @Test
    void retriesARefusedConnectionTheConfiguredTimesWithBackoffAndHidesThePassword() {
        var settings = new JdbcConnectionSettings("jdbc:postgresql://127.0.0.1:1/x", "app", new Password("s3cr3t!"), 3, 200);
        var factory = new JdbcConnectionFactory(settings, Dialects.forUrl(settings.url()));
        long start = System.nanoTime();
        assertThatThrownBy(factory::open).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"))
                .hasMessageNotContaining("s3cr3t!");
        assertThat((System.nanoTime() - start) / 1_000_000).as("two backoffs of 200 ms").isGreaterThanOrEqualTo(400);
    }

    @Test
    void aUrlNoDriverAcceptsFailsAtOnceNamingTheUrlMasked() {
        var settings = new JdbcConnectionSettings("jdbc:nosuchdb://h/x?password=hunter2", null, null, 3, 10_000);
        var factory = new JdbcConnectionFactory(settings, Dialects.forUrl(settings.url()));
        long start = System.nanoTime();
        assertThatThrownBy(factory::open).isInstanceOf(SQLException.class)
                .hasMessageContaining("no JDBC driver accepts").hasMessageNotContaining("hunter2");
        assertThat((System.nanoTime() - start) / 1_000_000).as("no backoff").isLessThan(5_000);
    }
}
