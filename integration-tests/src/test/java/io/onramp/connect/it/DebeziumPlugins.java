package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Debezium's connectors as users deploy them: each in its own directory (copied by maven-dependency-plugin into
 * {@code target/debezium-plugins/}), that directory on {@code plugin.path} next to Onramp's unzipped archive.
 */
public final class DebeziumPlugins {

    public static final String POSTGRES_CONNECTOR = "io.debezium.connector.postgresql.PostgresConnector";
    public static final String MYSQL_CONNECTOR = "io.debezium.connector.mysql.MySqlConnector";

    private DebeziumPlugins() {
    }

    public static Path directory() {
        Path dir = Paths.get(System.getProperty("onramp.debezium.plugins", "target/debezium-plugins")).toAbsolutePath();
        assertThat(dir.resolve("debezium-connector-postgres")).as("Debezium's plugin directories; build with -am verify")
                .isDirectory();
        return dir;
    }

    /** Worker settings putting Debezium's plugin directory on plugin.path beside Onramp's. */
    public static Map<String, String> workerProps() {
        return Map.of("plugin.path", OnrampConnect.pluginPath() + "," + directory());
    }

    static boolean isDebeziumJar(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("debezium-") && name.endsWith(".jar") && Files.isRegularFile(file);
    }
}
