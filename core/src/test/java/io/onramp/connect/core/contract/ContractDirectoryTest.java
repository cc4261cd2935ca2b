package io.onramp.connect.core.contract;

import static io.onramp.connect.core.contract.TestContracts.record;
import static io.onramp.connect.core.contract.TestContracts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractDirectoryTest {

    static final String V = record("", "{\"name\":\"id\",\"type\":\"long\"}");

    @Test
    void ordersVersionsNumericallyAndIgnoresOtherFiles(@TempDir Path root) throws Exception {
        write(root, "sales", "orders", 10, V);
        write(root, "sales", "orders", 2, V);
        write(root, "sales", "orders", 1, V);
        Files.writeString(root.resolve("sales/orders/README.md"), "notes");
        write(root, "hr", "people", 1, V);

        ContractDirectory dir = ContractDirectory.load(root);

        assertThat(dir.products()).containsExactly("hr.people", "sales.orders");
        assertThat(dir.versions("sales", "orders")).extracting(Contract::version).containsExactly(1, 2, 10);
        assertThat(dir.latest("sales", "orders").version()).isEqualTo(10);
        assertThat(dir.version("sales", "orders", 2).version()).isEqualTo(2);
    }

    @Test
    void unknownProductOrVersionIsAnErrorNamingIt(@TempDir Path root) {
        write(root, "sales", "orders", 1, V);
        ContractDirectory dir = ContractDirectory.load(root);

        assertThatThrownBy(() -> dir.versions("sales", "invoices")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("sales.invoices");
        assertThatThrownBy(() -> dir.version("sales", "orders", 3)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("version 3");
    }

    @Test
    void contractDeclaringAnotherProductThanItsDirectoryIsRejected(@TempDir Path root) {
        write(root, "sales", "orders", 1, record("\"onramp.product\":\"invoices\"", "{\"name\":\"id\",\"type\":\"long\"}"));

        assertThatThrownBy(() -> ContractDirectory.load(root)).isInstanceOf(ContractException.class)
                .hasMessageContaining("sales.invoices");
    }

    @Test
    void missingDirectoryIsAnError(@TempDir Path root) {
        assertThatThrownBy(() -> ContractDirectory.load(root.resolve("nope"))).isInstanceOf(ContractException.class)
                .hasMessageContaining("nope");
    }
}
