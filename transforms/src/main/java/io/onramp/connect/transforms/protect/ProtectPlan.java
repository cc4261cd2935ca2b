package io.onramp.connect.transforms.protect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Walks the protected paths through a value. For schema'd values it compiles, once per input schema,
 * the output schema and a function that rebuilds only the parts of the value a path reaches; for
 * schemaless values it walks maps and lists directly.
 */
final class ProtectPlan {

    /** An output schema and the function producing the output value; {@code fn == null} means unchanged. */
    record Compiled(Schema input, Schema schema, UnaryOperator<Object> fn) {
        Object apply(Object value) {
            return fn == null || value == null ? value : fn.apply(value);
        }
    }

    private final FieldPathTree tree;
    private final Protector protector;

    ProtectPlan(FieldPathTree tree, Protector protector) {
        this.tree = tree;
        this.protector = protector;
    }

    /** The protected paths {@code schema} does not have, in configuration order (schema'd maps are reached only by '*'). */
    List<String> missingPaths(Schema schema) {
        var missing = new ArrayList<String>();
        collectMissing(schema, tree.root(), missing);
        return missing;
    }

    private static void collectMissing(Schema in, FieldPathTree.Node node, List<String> missing) {
        if (node.mode() != null) {
            return; // reached: whatever the type, compile applies the mode (or rejects the type with a reason)
        }
        if (in.type() == Schema.Type.ARRAY) {
            collectMissing(in.valueSchema(), node, missing); // arrays are traversed transparently
            return;
        }
        for (var child : node.children().entrySet()) {
            Schema next = switch (in.type()) {
                case STRUCT -> in.field(child.getKey()) == null ? null : in.field(child.getKey()).schema();
                case MAP -> FieldPathTree.ANY_VALUE.equals(child.getKey()) ? in.valueSchema() : null;
                default -> null;
            };
            if (next == null) {
                leaves(child.getValue(), missing);
            } else {
                collectMissing(next, child.getValue(), missing);
            }
        }
    }

    private static void leaves(FieldPathTree.Node node, List<String> into) {
        if (node.mode() != null) {
            into.add(node.path());
        }
        node.children().values().forEach(child -> leaves(child, into));
    }

    Compiled compile(Schema schema) {
        Compiled c = compile(schema, tree.root(), "");
        return new Compiled(schema, c.schema(), c.fn());
    }

    private Compiled compile(Schema in, FieldPathTree.Node node, String path) {
        if (node == null) {
            return new Compiled(in, in, null);
        }
        if (node.mode() != null && in.type() != Schema.Type.ARRAY) {
            ProtectMode mode = node.mode();
            if (mode == ProtectMode.REDACT && !in.type().isPrimitive() && in.isOptional()) {
                return new Compiled(in, in, v -> null);
            }
            Schema out = protector.outputSchema(mode, in, node.path());
            return new Compiled(in, out, v -> protector.apply(mode, v, in, node.path()));
        }
        return switch (in.type()) {
            case STRUCT -> compileStruct(in, node, path);
            case ARRAY -> {
                Compiled element = compile(in.valueSchema(), node, path);
                if (element.fn() == null) {
                    yield new Compiled(in, in, null);
                }
                Schema out = copyBasics(in, SchemaBuilder.array(element.schema())).build();
                yield new Compiled(in, out, v -> {
                    List<?> list = (List<?>) v;
                    var result = new ArrayList<>(list.size());
                    for (Object e : list) {
                        result.add(element.apply(e));
                    }
                    return result;
                });
            }
            case MAP -> {
                Compiled values = compile(in.valueSchema(), node.child(FieldPathTree.ANY_VALUE), path + ".*");
                if (values.fn() == null) {
                    yield new Compiled(in, in, null);
                }
                Schema out = copyBasics(in, SchemaBuilder.map(in.keySchema(), values.schema())).build();
                yield new Compiled(in, out, v -> {
                    Map<?, ?> map = (Map<?, ?>) v;
                    var result = new HashMap<Object, Object>(map.size() * 2);
                    map.forEach((k, e) -> result.put(k, values.apply(e)));
                    return result;
                });
            }
            default -> new Compiled(in, in, null); // a path continuing below a primitive does not match
        };
    }

    private Compiled compileStruct(Schema in, FieldPathTree.Node node, String path) {
        List<Field> fields = in.fields();
        var compiled = new Compiled[fields.size()];
        boolean changed = false;
        boolean schemaChanged = false;
        for (Field f : fields) {
            Compiled c = compile(f.schema(), node.child(f.name()), path.isEmpty() ? f.name() : path + "." + f.name());
            compiled[f.index()] = c;
            changed |= c.fn() != null;
            schemaChanged |= c.schema() != f.schema();
        }
        if (!changed) {
            return new Compiled(in, in, null);
        }
        Schema out = in;
        if (schemaChanged) {
            SchemaBuilder b = copyBasics(in, SchemaBuilder.struct());
            for (Field f : fields) {
                b.field(f.name(), compiled[f.index()].schema());
            }
            out = b.build();
        }
        Schema outSchema = out;
        Field[] outFields = out.fields().toArray(Field[]::new);
        return new Compiled(in, out, v -> {
            Struct struct = (Struct) v;
            var result = new Struct(outSchema);
            for (int i = 0; i < outFields.length; i++) {
                result.put(outFields[i], compiled[i].apply(struct.get(fields.get(i))));
            }
            return result;
        });
    }

    private static SchemaBuilder copyBasics(Schema in, SchemaBuilder b) {
        b.name(in.name()).version(in.version()).doc(in.doc());
        if (in.parameters() != null) {
            b.parameters(in.parameters());
        }
        if (in.isOptional()) {
            b.optional();
        }
        return b;
    }

    /** Protects a schemaless value: nested maps are addressed like structs, lists traversed. */
    Object applySchemaless(Object value) {
        return applySchemaless(value, tree.root());
    }

    private Object applySchemaless(Object value, FieldPathTree.Node node) {
        if (node == null || value == null) {
            return value;
        }
        if (value instanceof List<?> list) {
            var result = new ArrayList<>(list.size());
            for (Object e : list) {
                result.add(applySchemaless(e, node));
            }
            return result;
        }
        if (node.mode() != null) {
            if (value instanceof Map<?, ?> || value instanceof Struct) {
                if (node.mode() == ProtectMode.REDACT) {
                    return null;
                }
                throw new DataException("Field '" + node.path() + "' is a map; " + node.mode().name().toLowerCase()
                        + " applies to primitive fields, so name the fields inside it.");
            }
            return protector.apply(node.mode(), value, null, node.path());
        }
        if (value instanceof Map<?, ?> map) {
            var result = new HashMap<Object, Object>(map);
            for (var c : node.children().entrySet()) {
                if (!c.getKey().equals(FieldPathTree.ANY_VALUE) && map.containsKey(c.getKey())) {
                    result.put(c.getKey(), applySchemaless(map.get(c.getKey()), c.getValue()));
                }
            }
            FieldPathTree.Node any = node.child(FieldPathTree.ANY_VALUE);
            if (any != null) {
                result.replaceAll((k, v) -> applySchemaless(v, any));
            }
            return result;
        }
        return value;
    }
}
