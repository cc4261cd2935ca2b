package io.onramp.connect.core.contract;

import static io.onramp.connect.core.contract.TestContracts.record;
import static io.onramp.connect.core.contract.TestContracts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import io.onramp.connect.core.config.KeyedConfigException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractConfigTest {

    static final ConfigDef DEF = ContractConfig.define(new ConfigDef());

    @TempDir
    Path root;

    static AbstractConfig config(Map<String, String> props) {
        return new AbstractConfig(DEF, props, false);
    }

    void twoVersions() {
        write(root, "sales", "orders", 1, record("", "{\"name\":\"id\",\"type\":\"long\"}"));
        write(root, "sales", "orders", 2, record("", "{\"name\":\"id\",\"type\":\"long\"}",
                "{\"name\":\"n\",\"type\":[\"null\",\"int\"],\"default\":null}"));
    }

    @Test
    void loadsNewestOrConfiguredVersionFromTheDirectory() {
        twoVersions();
        var base = Map.of("contract.dir", root.toString(), "contract.domain", "sales", "contract.product", "orders");

        assertThat(ContractConfig.load(config(base)).version()).isEqualTo(2);
        var v1 = new java.util.HashMap<>(base);
        v1.put("contract.version", "1");
        assertThat(ContractConfig.load(config(v1)).version()).isEqualTo(1);
    }

    @Test
    void singleFileTakesProductAndVersionFromItsLocation() {
        twoVersions();

        Contract c = ContractConfig.load(config(Map.of("contract.file", root.resolve("sales/orders/v1.avsc").toString())));

        assertThat(c.productId()).isEqualTo("sales.orders");
        assertThat(c.version()).isEqualTo(1);
    }

    @Test
    void mistakesAreConfigErrorsNamingTheKey() {
        twoVersions();
        String dir = root.toString();

        assertThatThrownBy(() -> ContractConfig.load(config(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("contract.dir").hasMessageContaining("contract.file");
        String v1 = root.resolve("sales/orders/v1.avsc").toString();
        assertThatThrownBy(() -> ContractConfig.load(config(Map.of("contract.dir", dir, "contract.file", v1))))
                .isInstanceOf(KeyedConfigException.class).hasMessageContaining("not both")
                .extracting(e -> ((KeyedConfigException) e).key()).isEqualTo("contract.file");
        assertThatThrownBy(() -> ContractConfig.load(config(Map.of("contract.dir", dir, "contract.product", "orders"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("contract.domain")
                .extracting(e -> ((KeyedConfigException) e).key()).isEqualTo("contract.domain");
        assertThatThrownBy(() -> ContractConfig.load(config(Map.of("contract.dir", dir, "contract.domain", "sales",
                "contract.product", "orders", "contract.version", "9"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("version 9")
                .extracting(e -> ((KeyedConfigException) e).key()).isEqualTo("contract.version");
        assertThatThrownBy(() -> ContractConfig.load(config(Map.of("contract.dir", dir, "contract.domain", "sales",
                "contract.product", "ordres"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sales.ordres")
                .extracting(e -> ((KeyedConfigException) e).key()).isEqualTo("contract.product");
    }

    @Test
    void contractFileIsCheckedByItsOwnValidatorSoConnectReportsItAtValidate() throws Exception {
        twoVersions();
        String missing = root.resolve("none.avsc").toString();
        Path broken = java.nio.file.Files.writeString(root.resolve("broken.avsc"), "{\"type\": \"record\", \"name\": ");

        var missingErrors = DEF.validate(Map.of("contract.file", missing)).stream()
                .filter(v -> v.name().equals("contract.file")).findFirst().orElseThrow().errorMessages();
        var brokenErrors = DEF.validate(Map.of("contract.file", broken.toString())).stream()
                .filter(v -> v.name().equals("contract.file")).findFirst().orElseThrow().errorMessages();
        var goodErrors = DEF.validate(Map.of("contract.file", root.resolve("sales/orders/v1.avsc").toString())).stream()
                .filter(v -> v.name().equals("contract.file")).findFirst().orElseThrow().errorMessages();

        assertThat(missingErrors).singleElement().asString().contains("'contract.file' must name a readable contract file");
        assertThat(brokenErrors).singleElement().asString().contains("'contract.file' is not a usable contract");
        assertThat(goodErrors).isEmpty();
    }

    @Test
    void directoryKeyRejectsIncompatibleVersionsWhenTheConfigIsParsed() {
        write(root, "sales", "orders", 1, record("", "{\"name\":\"id\",\"type\":\"long\"}"));
        write(root, "sales", "orders", 2, record("", "{\"name\":\"id\",\"type\":\"string\"}"));

        assertThatThrownBy(() -> config(Map.of("contract.dir", root.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("v2 is not backward compatible with v1")
                .hasMessageContaining("'id'");
    }
}
