package io.onramp.connect.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class JdbcConnectionConfigTest {

    private final ConfigDef def = JdbcConnectionConfig.define(new ConfigDef());

    @Test
    void definesTheFiveKeysInTheConnectionGroupWithDocs() {
        assertThat(def.names()).containsExactlyInAnyOrder("connection.url", "connection.user", "connection.password",
                "connection.attempts", "connection.backoff.ms");
        def.configKeys().values().forEach(key -> {
            assertThat(key.group).isEqualTo("Connection");
            assertThat(key.documentation).isNotBlank();
        });
        assertThat(def.configKeys().get("connection.password").type).isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void readsTypedSettingsWithConfluentDefaults() {
        var config = new AbstractConfig(def, Map.of("connection.url", " jdbc:postgresql://db/x ", "connection.password", "pw"));
        JdbcConnectionSettings settings = JdbcConnectionSettings.from(config);
        assertThat(settings.url()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(settings.attempts()).isEqualTo(3);
        assertThat(settings.backoffMs()).isEqualTo(10_000L);
        assertThat(settings.password().value()).isEqualTo("pw");
    }

    @Test
    void aUrlThatIsNotJdbcIsRejectedNamingTheKeyWithoutItsPassword() {
        assertThatThrownBy(() -> new AbstractConfig(def, Map.of("connection.url", "postgres://db/x?password=hunter2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("connection.url")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void attemptsMustBePositive() {
        assertThatThrownBy(() -> new AbstractConfig(def, Map.of("connection.url", "jdbc:postgresql://db/x", "connection.attempts", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("connection.attempts");
    }
}
