package io.onramp.connect.core.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Infers a Connect schema for a JSON value that has no contract, and converts the value onto it.
 *
 * <p>The same shape always gives an equal schema, whatever the order of the properties: struct fields are
 * sorted by name. Rules:
 * <ul>
 *   <li>objects become structs, all fields optional (nested structs optional too, the top level not);</li>
 *   <li>a property whose value is null is left out of the schema (adding an optional field later is a
 *       compatible change; guessing its type now would not be);</li>
 *   <li>whole numbers are INT64 ({@code Decimal} with scale 0 beyond the long range), other numbers FLOAT64;
 *       an array or merged field holding both becomes FLOAT64;</li>
 *   <li>array elements are merged into one optional element type: objects into the union of their fields,
 *       nulls make elements optional, an empty or all-null array holds optional strings;</li>
 *   <li>values that cannot be merged (a string and a number in one array) are kept as their JSON text in
 *       an optional STRING.</li>
 * </ul>
 * Schemas are cached by the document's shape (up to {@value #CACHE_SIZE} shapes, least recently used out),
 * so a stream of same-shaped payloads builds its schema once. Not thread-safe: one instance per task.
 */
public final class JsonSchemaInference {

    static final int CACHE_SIZE = 512;
    /** Shapes with a longer signature (huge arrays of varied objects) are inferred without the cache. */
    private static final int MAX_SIGNATURE = 8192;

    private final Map<String, Schema> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Schema> eldest) {
            return size() > CACHE_SIZE;
        }
    };
    private final StringBuilder signature = new StringBuilder(256);

    /** The inferred schema and the value converted onto it; {@code json} must not be JSON null. */
    public SchemaAndValue infer(JsonNode json) {
        Schema schema = schemaOf(json);
        return new SchemaAndValue(schema, convert(json, schema));
    }

    /** The inferred schema of {@code json} (from the cache when its shape was seen before). */
    public Schema schemaOf(JsonNode json) {
        signature.setLength(0);
        sign(json, signature);
        if (signature.length() > MAX_SIGNATURE) {
            return build(Shape.of(json), false);
        }
        String key = signature.toString();
        Schema schema = cache.get(key);
        if (schema == null) {
            schema = build(Shape.of(json), false);
            cache.put(key, schema);
        }
        return schema;
    }

    /** Number of shapes cached, for tests. */
    int cachedShapes() {
        return cache.size();
    }

    // ---- shape signature: the document's types in document order (cheap; the schema sorts) ----

    private static void sign(JsonNode node, StringBuilder sb) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                sb.append('{');
                for (var e : node.properties()) {
                    String name = e.getKey();
                    sb.append(name.length()).append(':').append(name);
                    sign(e.getValue(), sb);
                }
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                for (JsonNode element : node) {
                    sign(element, sb);
                }
                sb.append(']');
            }
            case STRING -> sb.append('s');
            case BOOLEAN -> sb.append('b');
            case NUMBER -> sb.append(node.isIntegralNumber() ? (node.canConvertToLong() ? 'i' : 'I') : 'f');
            case NULL, MISSING -> sb.append('n');
            default -> sb.append('s');
        }
    }

    // ---- shapes: the merge lattice ----

    private enum Kind { NULL, STRING, BOOLEAN, LONG, BIGINT, DOUBLE, TEXT, OBJECT, ARRAY }

    /** A JSON value's inferred type; TEXT is "kept as JSON text". */
    private record Shape(Kind kind, TreeMap<String, Shape> fields, Shape element) {

        static final Shape NULL = new Shape(Kind.NULL, null, null);
        static final Shape STRING = new Shape(Kind.STRING, null, null);
        static final Shape BOOLEAN = new Shape(Kind.BOOLEAN, null, null);
        static final Shape LONG = new Shape(Kind.LONG, null, null);
        static final Shape BIGINT = new Shape(Kind.BIGINT, null, null);
        static final Shape DOUBLE = new Shape(Kind.DOUBLE, null, null);
        static final Shape TEXT = new Shape(Kind.TEXT, null, null);

        static Shape of(JsonNode node) {
            return switch (node.getNodeType()) {
                case OBJECT -> {
                    var fields = new TreeMap<String, Shape>();
                    for (var e : node.properties()) {
                        fields.put(e.getKey(), of(e.getValue()));
                    }
                    yield new Shape(Kind.OBJECT, fields, null);
                }
                case ARRAY -> {
                    Shape element = NULL;
                    for (JsonNode e : node) {
                        element = merge(element, of(e));
                    }
                    yield new Shape(Kind.ARRAY, null, element);
                }
                case STRING -> STRING;
                case BOOLEAN -> BOOLEAN;
                case NUMBER -> node.isIntegralNumber() ? (node.canConvertToLong() ? LONG : BIGINT) : DOUBLE;
                case NULL, MISSING -> NULL;
                default -> STRING;
            };
        }

        static Shape merge(Shape a, Shape b) {
            if (a.kind == Kind.NULL) {
                return b;
            }
            if (b.kind == Kind.NULL || a.equals(b)) {
                return a;
            }
            if (a.kind == Kind.OBJECT && b.kind == Kind.OBJECT) {
                var fields = new TreeMap<>(a.fields);
                b.fields.forEach((name, shape) -> fields.merge(name, shape, Shape::merge));
                return new Shape(Kind.OBJECT, fields, null);
            }
            if (a.kind == Kind.ARRAY && b.kind == Kind.ARRAY) {
                return new Shape(Kind.ARRAY, null, merge(a.element, b.element));
            }
            if (isNumber(a.kind) && isNumber(b.kind)) {
                if (a.kind == Kind.DOUBLE || b.kind == Kind.DOUBLE) {
                    return DOUBLE;
                }
                return BIGINT; // LONG with BIGINT
            }
            return TEXT;
        }

        private static boolean isNumber(Kind kind) {
            return kind == Kind.LONG || kind == Kind.BIGINT || kind == Kind.DOUBLE;
        }
    }

    private static Schema build(Shape shape, boolean optional) {
        SchemaBuilder builder = switch (shape.kind) {
            case OBJECT -> {
                var struct = SchemaBuilder.struct();
                shape.fields.forEach((name, field) -> {
                    if (field.kind != Kind.NULL) {
                        struct.field(name, build(field, true));
                    }
                });
                yield struct;
            }
            case ARRAY -> SchemaBuilder.array(shape.element.kind == Kind.NULL
                    ? Schema.OPTIONAL_STRING_SCHEMA : build(shape.element, true));
            case LONG -> SchemaBuilder.int64();
            case BIGINT -> Decimal.builder(0);
            case DOUBLE -> SchemaBuilder.float64();
            case BOOLEAN -> SchemaBuilder.bool();
            case STRING, TEXT, NULL -> SchemaBuilder.string();
        };
        return (optional ? builder.optional() : builder).build();
    }

    // ---- values onto a schema ----

    /** Converts {@code node} onto a schema this class inferred for its shape (or a merge including it). */
    public static Object convert(JsonNode node, Schema schema) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return switch (schema.type()) {
            case STRUCT -> {
                if (!node.isObject()) {
                    yield null; // cannot happen for an inferred schema
                }
                var struct = new Struct(schema);
                for (Field field : schema.fields()) {
                    JsonNode child = node.get(field.name());
                    if (child != null && !child.isNull()) {
                        struct.put(field, convert(child, field.schema()));
                    }
                }
                yield struct;
            }
            case ARRAY -> {
                var list = new ArrayList<>(node.size());
                Schema element = schema.valueSchema();
                for (JsonNode e : node) {
                    list.add(convert(e, element));
                }
                yield list;
            }
            case STRING -> node.isTextual() ? node.textValue() : node.toString();
            case INT64 -> node.longValue();
            case FLOAT64 -> node.doubleValue();
            case BOOLEAN -> node.booleanValue();
            case BYTES -> node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : node.decimalValue();
            default -> throw new IllegalStateException("not an inferred type: " + schema.type());
        };
    }

    /** For tests and callers that hold a list of nodes: one schema for all of them (their shapes merged). */
    public static Schema schemaOfAll(List<JsonNode> nodes) {
        Shape shape = Shape.NULL;
        for (JsonNode node : nodes) {
            shape = Shape.merge(shape, Shape.of(node));
        }
        return build(shape, false);
    }
}
