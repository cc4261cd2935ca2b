package io.onramp.connect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The connector configs under {@code config-examples/}, as users copy them, with their placeholder locations
 * moved to where a test keeps its files: {@code /var/spool/onramp} (data directories) and
 * {@code /etc/onramp/contracts} (contracts, which ship in {@code config-examples/contracts}).
 */
public final class ConfigExamples {

    public static final String DATA_ROOT = "/var/spool/onramp";
    public static final String CONTRACTS_ROOT = "/etc/onramp/contracts";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigExamples() {
    }

    public static Path directory() {
        return Paths.get(System.getProperty("onramp.config.examples", "../config-examples")).toAbsolutePath().normalize();
    }

    /** Every example file: JSON connector configs, contracts excluded. */
    public static List<Path> all() {
        try (Stream<Path> files = Files.walk(directory())) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an example ({@code {"name": ..., "config": {...}}}), placing its data directories under {@code dataRoot}. */
    public static Example load(Path file, Path dataRoot) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file.getFileName() + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.path("name").isTextual() || !root.path("config").isObject()) {
            throw new AssertionError(file.getFileName() + " must be {\"name\": ..., \"config\": {...}}");
        }
        var config = new LinkedHashMap<String, String>();
        root.get("config").fields().forEachRemaining(entry -> {
            if (!entry.getValue().isValueNode()) {
                throw new AssertionError(file.getFileName() + ": config value of '" + entry.getKey() + "' must be a string");
            }
            config.put(entry.getKey(), relocate(entry.getValue().asText(), dataRoot));
        });
        return new Example(file.getFileName().toString(), root.get("name").asText(), config);
    }

    public static Example load(String fileName, Path dataRoot) {
        return load(directory().resolve(fileName), dataRoot);
    }

    private static String relocate(String value, Path dataRoot) {
        return value.replace(CONTRACTS_ROOT, directory().resolve("contracts").toString())
                .replace(DATA_ROOT, dataRoot.toString());
    }

    /** One example connector; {@link #createDirectories()} makes the directories its '*.path' keys name. */
    public record Example(String file, String name, Map<String, String> config) {

        public String connectorClass() {
            return config.get("connector.class");
        }

        public Example with(String key, String value) {
            var copy = new LinkedHashMap<>(config);
            copy.put(key, value);
            return new Example(file, name, copy);
        }

        /** This config without {@code key}: the connector (or Connect) then uses the key's default. */
        public Example without(String key) {
            var copy = new LinkedHashMap<>(config);
            copy.remove(key);
            return new Example(file, name, copy);
        }

        public Example named(String connectorName) {
            return new Example(file, connectorName, config);
        }

        public Example createDirectories() {
            config.forEach((key, value) -> {
                if (key.endsWith(".path")) {
                    OnrampConnect.createDirectories(Paths.get(value));
                }
            });
            return this;
        }

        public Path path(String key) {
            return Paths.get(config.get(key));
        }
    }
}
