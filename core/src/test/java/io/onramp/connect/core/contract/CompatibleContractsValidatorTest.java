package io.onramp.connect.core.contract;

import static io.onramp.connect.core.contract.TestContracts.record;
import static io.onramp.connect.core.contract.TestContracts.write;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatibleContractsValidatorTest {

    final CompatibleContractsValidator validator = new CompatibleContractsValidator();

    @Test
    void acceptsCompatibleVersionsAndUnsetKey(@TempDir Path root) {
        write(root, "sales", "orders", 1, record("", "{\"name\":\"id\",\"type\":\"long\"}"));
        write(root, "sales", "orders", 2, record("", "{\"name\":\"id\",\"type\":\"long\"}",
                "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}"));

        assertThatCode(() -> validator.ensureValid("contract.dir", root.toString())).doesNotThrowAnyException();
        assertThatCode(() -> validator.ensureValid("contract.dir", null)).doesNotThrowAnyException();
    }

    @Test
    void rejectsIncompatibleVersionWithReadableMessage(@TempDir Path root) {
        write(root, "sales", "orders", 1, record("", "{\"name\":\"qty\",\"type\":\"int\"}"));
        write(root, "sales", "orders", 2, record("\"onramp.compatibility\":\"FULL\"", "{\"name\":\"qty\",\"type\":\"string\"}"));

        assertThatThrownBy(() -> validator.ensureValid("contract.dir", root.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("contract.dir")
                .hasMessageContaining("sales.orders v2 is not backward compatible with v1 (mode FULL): field 'qty'")
                .hasMessageContaining("forward");
    }

    @Test
    void unreadableContractIsAConfigError(@TempDir Path root) {
        write(root, "sales", "orders", 1, "{not json");

        assertThatThrownBy(() -> validator.ensureValid("contract.dir", root.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("v1.avsc");
    }
}
