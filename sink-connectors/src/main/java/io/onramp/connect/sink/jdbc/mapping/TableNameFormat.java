package io.onramp.connect.sink.jdbc.mapping;

import io.onramp.connect.core.jdbc.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;

/**
 * {@code table.name.format}: literal text with the placeholders {@code ${topic}}, {@code ${domain}},
 * {@code ${product}} and {@code ${version}}. Dots inside placeholder values become '_' (topic names are dotted,
 * table names should not be); a single dot written in the format itself separates the schema from the table.
 */
public final class TableNameFormat {

    public static final String DEFAULT = "${topic}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final List<String> KNOWN = List.of("topic", "domain", "product", "version");

    private final String format;
    private final List<Part> schemaParts;
    private final List<Part> tableParts;
    private final boolean needsProduct;

    private TableNameFormat(String format, List<Part> schemaParts, List<Part> tableParts) {
        this.format = format;
        this.schemaParts = schemaParts;
        this.tableParts = tableParts;
        this.needsProduct = format.contains("${domain}") || format.contains("${product}") || format.contains("${version}");
    }

    /** Parses a format; throws an {@link IllegalArgumentException} saying what is wrong. */
    public static TableNameFormat parse(String format) {
        if (format == null || format.isBlank()) {
            throw new IllegalArgumentException("the format is empty");
        }
        List<Part> parts = parts(format);
        List<Part> schema = new ArrayList<>();
        List<Part> table = new ArrayList<>();
        boolean inTable = false;
        int dots = 0;
        for (Part part : parts) {
            if (part.placeholder() == null && part.text().contains(".")) {
                String text = part.text();
                int dot = text.indexOf('.');
                if (text.indexOf('.', dot + 1) >= 0 || ++dots > 1) {
                    throw new IllegalArgumentException("it has more than one dot outside placeholders; only schema.table is supported");
                }
                if (dot > 0) {
                    schema.add(new Part(text.substring(0, dot), null));
                }
                inTable = true;
                if (dot + 1 < text.length()) {
                    table.add(new Part(text.substring(dot + 1), null));
                }
                continue;
            }
            (inTable ? table : schema).add(part);
        }
        if (!inTable) {
            return new TableNameFormat(format, List.of(), schema);
        }
        if (schema.isEmpty() || table.isEmpty()) {
            throw new IllegalArgumentException("the schema or the table part around its dot is empty");
        }
        return new TableNameFormat(format, schema, table);
    }

    private static List<Part> parts(String format) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(format);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(new Part(format.substring(last, m.start()), null));
            }
            String name = m.group(1);
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("the placeholder ${" + name + "} is unknown; known are ${topic}, "
                        + "${domain}, ${product} and ${version}");
            }
            parts.add(new Part(null, name));
            last = m.end();
        }
        if (last < format.length()) {
            String rest = format.substring(last);
            if (rest.contains("${")) {
                throw new IllegalArgumentException("it has an unclosed '${'");
            }
            parts.add(new Part(rest, null));
        }
        return parts;
    }

    /** A validator that runs {@link #parse}, for the ConfigDef. */
    public static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    parse(value == null ? null : value.toString());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, "'" + name + "' cannot be used: " + e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "text with ${topic}, ${domain}, ${product}, ${version}; optionally schema.table";
            }
        };
    }

    /** Whether resolving needs the record's data product. */
    public boolean needsProduct() {
        return needsProduct;
    }

    /**
     * The table of a record on {@code topic}; {@code product} may be null when {@link #needsProduct()} is false.
     */
    public TableId resolve(String topic, ProductRef product) {
        if (needsProduct && product == null) {
            throw new DataException("table.name.format '" + format + "' uses the data product's name, but the record "
                    + "on topic '" + topic + "' has no onramp.product header and its topic is not named "
                    + "<domain>.<product>.v<N>");
        }
        String schema = schemaParts.isEmpty() ? null : render(schemaParts, topic, product);
        return new TableId(null, schema, render(tableParts, topic, product));
    }

    private static String render(List<Part> parts, String topic, ProductRef product) {
        var sb = new StringBuilder();
        for (Part part : parts) {
            if (part.placeholder() == null) {
                sb.append(part.text());
            } else {
                String value = switch (part.placeholder()) {
                    case "topic" -> topic;
                    case "domain" -> product.domain();
                    case "product" -> product.product();
                    default -> Integer.toString(product.version());
                };
                sb.append(value.replace('.', '_'));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format;
    }

    private record Part(String text, String placeholder) {
    }
}
