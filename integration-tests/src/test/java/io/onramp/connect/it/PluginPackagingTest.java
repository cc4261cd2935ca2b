package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plugin directory and the Confluent Hub ZIP hold what a worker needs to find and run every plugin. */
class PluginPackagingTest {

    private static final Map<String, String> SERVICE_OF_TYPE = Map.of(
            "source", "org.apache.kafka.connect.source.SourceConnector",
            "sink", "org.apache.kafka.connect.sink.SinkConnector",
            "transform", "org.apache.kafka.connect.transforms.Transformation");

    private static PluginInventory plugin;

    @BeforeAll
    static void open() {
        plugin = PluginInventory.open();
    }

    @AfterAll
    static void close() throws IOException {
        plugin.close();
    }

    @Test
    void packagesAtLeastTheFileSource() {
        assertThat(plugin.compiledPlugins()).containsEntry("io.onramp.connect.source.file.FileSourceConnector", "source");
    }

    @Test
    void everyPluginClassHasItsServiceLoaderEntry() {
        Map<String, Set<String>> services = plugin.serviceEntries();
        plugin.compiledPlugins().forEach((className, type) -> assertThat(services.getOrDefault(SERVICE_OF_TYPE.get(type), Set.of()))
                .as("META-INF/services/%s must list %s, or plugin.discovery=service_load hides it", SERVICE_OF_TYPE.get(type), className)
                .contains(className));
    }

    /** The base classes' final validate() is what runs the Onramp transforms' cross-key checks of the chain. */
    @Test
    void everyConnectorExtendsOnrampsBaseSoItsValidateChecksTheTransformChain() {
        Map<String, Class<?>> bases = Map.of(
                "source", plugin.load("io.onramp.connect.core.connector.OnrampSourceConnector"),
                "sink", plugin.load("io.onramp.connect.core.connector.OnrampSinkConnector"));
        Map<String, String> connectors = new java.util.TreeMap<>(plugin.compiledPlugins());
        connectors.values().removeIf(type -> !bases.containsKey(type));
        assertThat(connectors).as("Onramp's connectors").hasSizeGreaterThanOrEqualTo(5);
        connectors.forEach((className, type) -> assertThat(bases.get(type).isAssignableFrom(plugin.load(className)))
                .as("%s extends %s", className, bases.get(type).getSimpleName()).isTrue());
    }

    @Test
    void serviceFilesNameOnlyRealPlugins() {
        Map<String, String> compiled = plugin.compiledPlugins();
        plugin.serviceEntries().forEach((service, classes) -> classes.forEach(className -> assertThat(compiled)
                .as("META-INF/services/%s names %s, which is not a packaged plugin class", service, className)
                .containsKey(className)));
    }

    @Test
    void manifestListsEveryPluginWithItsType() {
        assertThat(plugin.manifestPlugins()).isEqualTo(plugin.compiledPlugins());
    }

    @Test
    void manifestDeclaresTheComponentTypesOfItsPlugins() {
        Set<String> declared = new TreeSet<>();
        plugin.manifest().path("component_types").forEach(node -> declared.add(node.asText()));
        assertThat(declared).containsAll(new TreeSet<>(plugin.compiledPlugins().values()));
        assertThat(plugin.manifest().path("version").asText()).isEqualTo(OnrampConnect.version());
    }

    @Test
    void bundlesNoJarTheWorkerAlreadyHas() {
        assertThat(plugin.jars()).extracting(jar -> jar.getFileName().toString())
                .noneMatch(name -> name.startsWith("kafka-") || name.startsWith("connect-api")
                        || name.startsWith("connect-runtime") || name.startsWith("connect-transforms")
                        || name.startsWith("slf4j-") || name.startsWith("log4j"))
                .anyMatch(name -> name.startsWith("onramp-core-"))
                .anyMatch(name -> name.startsWith("fastcsv-"))
                .anyMatch(name -> name.startsWith("avro-"))
                .anyMatch(name -> name.startsWith("postgresql-"))
                .anyMatch(name -> name.startsWith("mariadb-java-client-"));
    }

    @Test
    void componentZipHasTheConfluentHubLayout() throws IOException {
        Path zip = Paths.get(System.getProperty("onramp.component.zip"));
        String base = "onramp-kafka-connect-" + OnrampConnect.version() + "/";
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Set<String> names = file.stream().map(ZipEntry::getName).collect(Collectors.toCollection(TreeSet::new));
            assertThat(names).contains(base + "manifest.json", base + "doc/README.md", base + "doc/LICENSE",
                    base + "etc/file-source-csv.json", base + "etc/contracts/crm/customers/v1.avsc");
            assertThat(names).allMatch(name -> name.startsWith(base), "everything under one component directory");
        }
    }

    @Test
    void pluginDirectoryHoldsTheSameJarsAsTheZip() throws IOException {
        Path dir = Paths.get(System.getProperty("onramp.plugin.dir")).resolve("onramp-kafka-connect-" + OnrampConnect.version());
        Set<String> dirJars;
        try (var files = java.nio.file.Files.list(dir.resolve("lib"))) {
            dirJars = files.map(jar -> jar.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> zipJars = plugin.jars().stream().map(jar -> jar.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(dirJars).isEqualTo(zipJars);
        assertThat(dir.resolve("manifest.json")).exists();
    }
}
