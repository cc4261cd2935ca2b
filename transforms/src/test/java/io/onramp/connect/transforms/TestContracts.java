package io.onramp.connect.transforms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small contract directories for transform tests. */
public final class TestContracts {

    /** sales/orders v1: id, email (pii, pattern), qty (min/max), status (enum), note (optional). */
    public static final String ORDERS_V1 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\","
            + "\"onramp.owner\":\"team-sales\",\"onramp.keyFields\":[\"id\"],\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},"
            + "{\"name\":\"email\",\"type\":\"string\",\"onramp.classification\":\"pii\","
            + "\"onramp.rules\":{\"pattern\":\"[^@]+@[^@]+\",\"maxLength\":40}},"
            + "{\"name\":\"qty\",\"type\":\"int\",\"onramp.rules\":{\"min\":1,\"max\":100}},"
            + "{\"name\":\"status\",\"type\":\"string\",\"onramp.rules\":{\"enum\":[\"NEW\",\"PAID\"]}},"
            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    /**
     * sales/orders v2: qty promoted to long, email renamed contact (alias), note dropped, channel added with
     * a default; compatible BACKWARD with v1.
     */
    public static final String ORDERS_V2 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\","
            + "\"onramp.owner\":\"team-sales\",\"onramp.keyFields\":[\"id\"],\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},"
            + "{\"name\":\"contact\",\"type\":\"string\",\"aliases\":[\"email\"],\"onramp.classification\":\"pii\"},"
            + "{\"name\":\"qty\",\"type\":\"long\"},"
            + "{\"name\":\"status\",\"type\":\"string\"},"
            + "{\"name\":\"channel\",\"type\":\"string\",\"default\":\"web\"}]}";

    private TestContracts() {
    }

    public static Path write(Path root, String domain, String product, int version, String json) {
        try {
            Path dir = Files.createDirectories(root.resolve(domain).resolve(product));
            return Files.writeString(dir.resolve("v" + version + ".avsc"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory holding sales/orders v1 (and v2 when {@code withV2}). */
    public static Path ordersDirectory(Path root, boolean withV2) {
        write(root, "sales", "orders", 1, ORDERS_V1);
        if (withV2) {
            write(root, "sales", "orders", 2, ORDERS_V2);
        }
        return root;
    }

    /** v1 marked deprecated with a sunset date. */
    public static String deprecated(String json, String sunset) {
        return json.replace("\"onramp.owner\"", "\"onramp.deprecated\":true,\"onramp.sunset\":\"" + sunset
                + "\",\"onramp.owner\"");
    }
}
