package io.onramp.connect.core.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds small contract files for tests. */
final class TestContracts {

    private TestContracts() {
    }

    /** A record schema named {@code Order} with the given top-level properties and fields (JSON fragments). */
    static String record(String props, String... fields) {
        return "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\"" + (props.isEmpty() ? "" : "," + props)
                + ",\"fields\":[" + String.join(",", fields) + "]}";
    }

    static Contract contract(int version, String props, String... fields) {
        return Contract.parse(record(props, fields), "sales", "orders", version, "test v" + version);
    }

    static Path write(Path root, String domain, String product, int version, String json) {
        try {
            Path dir = Files.createDirectories(root.resolve(domain).resolve(product));
            return Files.writeString(dir.resolve("v" + version + ".avsc"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
