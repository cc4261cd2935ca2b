package io.onramp.connect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * What the packaged plugin directory holds: its jars, the plugin classes compiled into Onramp's jars, the
 * classes its {@code META-INF/services} files name, and the plugins its {@code manifest.json} lists.
 * Classes are loaded from the packaged jars, never from this module's classpath.
 */
public final class PluginInventory implements AutoCloseable {

    public static final Map<Class<?>, String> PLUGIN_TYPES = Map.of(
            SourceConnector.class, "source",
            SinkConnector.class, "sink",
            Transformation.class, "transform");

    private final Path componentDir;
    private final URLClassLoader loader;

    private PluginInventory(Path componentDir, URLClassLoader loader) {
        this.componentDir = componentDir;
        this.loader = loader;
    }

    /** Opens the one component directory under the plugin path. */
    public static PluginInventory open() {
        Path componentDir;
        try (Stream<Path> dirs = Files.list(OnrampConnect.pluginPath())) {
            List<Path> found = dirs.filter(Files::isDirectory).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one component directory in the plugin path, found " + found);
            }
            componentDir = found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars(componentDir)) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return new PluginInventory(componentDir, new URLClassLoader(urls.toArray(URL[]::new),
                PluginInventory.class.getClassLoader()));
    }

    public Path componentDir() {
        return componentDir;
    }

    public List<Path> jars() {
        return jars(componentDir);
    }

    private static List<Path> jars(Path componentDir) {
        try (Stream<Path> files = Files.walk(componentDir.resolve("lib"))) {
            return files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Public concrete connector and transform classes in Onramp's own jars, with their plugin type. */
    public Map<String, String> compiledPlugins() {
        var plugins = new TreeMap<String, String>();
        for (Path jar : jars()) {
            if (!jar.getFileName().toString().startsWith("onramp-")) {
                continue;
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                    String name = entries.nextElement().getName();
                    if (name.endsWith(".class") && !name.contains("module-info")) {
                        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                        String type = pluginType(className);
                        if (type != null) {
                            plugins.put(className, type);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return plugins;
    }

    private String pluginType(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
            return null;
        }
        return PLUGIN_TYPES.entrySet().stream().filter(entry -> entry.getKey().isAssignableFrom(type))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Classes named by the META-INF/services files of Onramp's jars, by service interface. */
    public Map<String, Set<String>> serviceEntries() {
        var entries = new TreeMap<String, Set<String>>();
        for (Path jar : jars()) {
            if (!jar.getFileName().toString().startsWith("onramp-")) {
                continue;
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> all = file.entries(); all.hasMoreElements(); ) {
                    JarEntry entry = all.nextElement();
                    if (entry.getName().startsWith("META-INF/services/") && !entry.isDirectory()) {
                        String service = entry.getName().substring("META-INF/services/".length());
                        String text = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                        for (String line : text.split("\n")) {
                            String className = line.replaceAll("#.*", "").trim();
                            if (!className.isEmpty()) {
                                entries.computeIfAbsent(service, key -> new TreeSet<>()).add(className);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }

    /** The "plugins" array of manifest.json: class to type. */
    public Map<String, String> manifestPlugins() {
        var plugins = new LinkedHashMap<String, String>();
        for (JsonNode plugin : manifest().path("plugins")) {
            plugins.put(plugin.path("class").asText(), plugin.path("type").asText());
        }
        return plugins;
    }

    public JsonNode manifest() {
        try {
            return new ObjectMapper().readTree(componentDir.resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Class<?> load(String className) {
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(className + " is not in the packaged plugin", e);
        }
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
