package io.onramp.connect.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Renders README's connector and transform reference from the ConfigDefs of the packaged plugins, so the
 * documentation is the code's own. Key/Value variants of a transform share one section.
 */
public final class ConfigReference {

    public static final String START = "<!-- config-reference:start (generated from the ConfigDefs; do not edit) -->";
    public static final String END = "<!-- config-reference:end -->";

    private ConfigReference() {
    }

    public static String render(PluginInventory plugin) {
        Map<String, List<String>> variantsByPlugin = new TreeMap<>();
        Map<String, String> typeByPlugin = new TreeMap<>();
        plugin.compiledPlugins().forEach((className, type) -> {
            String outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
            variantsByPlugin.computeIfAbsent(outer, key -> new ArrayList<>()).add(className);
            typeByPlugin.put(outer, type);
        });
        var out = new StringBuilder();
        out.append(START).append("\n");
        for (String type : List.of("source", "sink", "transform")) {
            for (var entry : variantsByPlugin.entrySet()) {
                if (typeByPlugin.get(entry.getKey()).equals(type)) {
                    section(out, plugin, entry.getKey(), type, entry.getValue());
                }
            }
        }
        out.append(END);
        return out.toString();
    }

    private static void section(StringBuilder out, PluginInventory plugin, String outer, String type, List<String> variants) {
        out.append("\n### ").append(outer.substring(outer.lastIndexOf('.') + 1)).append(" (").append(type).append(")\n\n");
        if (variants.size() > 1 || !variants.get(0).equals(outer)) {
            out.append("Classes: ");
            out.append(String.join(", ", variants.stream().map(name -> "`" + name + "`").toList()));
        } else {
            out.append("Class: `").append(outer).append("`");
        }
        out.append("\n\n");
        ConfigDef def = configDef(plugin.load(variants.get(0)));
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            if (!key.internalConfig) {
                byGroup.computeIfAbsent(key.group == null ? "" : key.group, group -> new ArrayList<>()).add(key);
            }
        }
        out.append("| Key | Type | Default | Valid values | Importance | Description |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (var group : byGroup.entrySet()) {
            var keys = new ArrayList<>(group.getValue());
            keys.sort((a, b) -> Integer.compare(a.orderInGroup, b.orderInGroup));
            for (ConfigDef.ConfigKey key : keys) {
                if (key.documentation == null || key.documentation.isBlank()) {
                    // Every key a user can set must say what it does: the reference is the user's manual.
                    throw new AssertionError(outer + ": config key '" + key.name + "' has no documentation string");
                }
                out.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase())
                        .append(" | ").append(defaultOf(key))
                        .append(" | ").append(cell(key.validator == null ? "" : key.validator.toString()))
                        .append(" | ").append(key.importance.name().toLowerCase())
                        .append(" | ").append(cell(key.documentation)).append(" |\n");
            }
        }
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "*required*";
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            return "*hidden*";
        }
        Object value = key.defaultValue;
        String text = value == null ? "null" : ConfigDef.convertToString(value, key.type);
        return text.isEmpty() ? "\"\"" : "`" + text.replace("|", "\\|") + "`";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    private static ConfigDef configDef(Class<?> pluginClass) {
        try {
            Object instance = pluginClass.getDeclaredConstructor().newInstance();
            if (instance instanceof Connector connector) {
                return connector.config();
            }
            if (instance instanceof Transformation<?> transformation) {
                return transformation.config();
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(pluginClass.getName() + " needs a public no-argument constructor, as Connect does", e);
        }
        throw new AssertionError(pluginClass.getName() + " is neither a connector nor a transform");
    }
}
