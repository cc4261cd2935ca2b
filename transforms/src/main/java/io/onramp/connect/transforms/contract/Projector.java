package io.onramp.connect.transforms.contract;

import io.onramp.connect.core.contract.Violation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.JsonProperties;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Projects values onto a target contract with Avro's schema-resolution rules: target fields are found
 * by name or by one of their aliases (renames), fields the target lacks are dropped, absent fields
 * take the target's default, and numbers are promoted int -&gt; long -&gt; float -&gt; double (strings
 * and bytes convert both ways). Schema'd values are compiled once per input schema.
 */
final class Projector {

    /** A value that cannot be projected. */
    static final class ProjectionException extends RuntimeException {
        private final transient Violation violation;

        ProjectionException(Violation violation) {
            super(violation.reason(), null, false, false);
            this.violation = violation;
        }

        Violation violation() {
            return violation;
        }
    }

    private final org.apache.avro.Schema targetAvro;
    private final Schema target;

    Projector(org.apache.avro.Schema targetAvro, Schema target) {
        this.targetAvro = targetAvro;
        this.target = target;
    }

    Schema target() {
        return target;
    }

    /** A function projecting Structs of schema {@code in}; schema-level problems surface when it is applied. */
    UnaryOperator<Object> compile(Schema in) {
        return compile(in, target, targetAvro, "");
    }

    private UnaryOperator<Object> compile(Schema in, Schema out, org.apache.avro.Schema avro, String path) {
        org.apache.avro.Schema avroType = nonNull(avro);
        return switch (out.type()) {
            case STRUCT -> {
                if (in.type() != Schema.Type.STRUCT) {
                    yield fail(path, "type", "is a " + in.type() + " but the target expects a record");
                }
                yield compileStruct(in, out, avroType, path);
            }
            case ARRAY -> {
                if (in.type() != Schema.Type.ARRAY) {
                    yield fail(path, "type", "is a " + in.type() + " but the target expects an array");
                }
                UnaryOperator<Object> element = nullSafe(compile(in.valueSchema(), out.valueSchema(),
                        avroType.getElementType(), path), out.valueSchema(), path);
                yield v -> {
                    var result = new ArrayList<>(((List<?>) v).size());
                    ((List<?>) v).forEach(e -> result.add(element.apply(e)));
                    return result;
                };
            }
            case MAP -> {
                if (in.type() != Schema.Type.MAP) {
                    yield fail(path, "type", "is a " + in.type() + " but the target expects a map");
                }
                UnaryOperator<Object> values = nullSafe(compile(in.valueSchema(), out.valueSchema(),
                        avroType.getValueType(), path + ".*"), out.valueSchema(), path);
                yield v -> {
                    var result = new HashMap<Object, Object>();
                    ((Map<?, ?>) v).forEach((k, e) -> result.put(k, values.apply(e)));
                    return result;
                };
            }
            default -> primitive(in, out, path);
        };
    }

    private UnaryOperator<Object> compileStruct(Schema in, Schema out, org.apache.avro.Schema avro, String path) {
        List<Field> outFields = out.fields();
        var sources = new Field[outFields.size()];
        var fns = new ArrayList<UnaryOperator<Object>>(outFields.size());
        for (Field f : outFields) {
            org.apache.avro.Schema.Field avroField = avro.getField(f.name());
            String fieldPath = path.isEmpty() ? f.name() : path + "." + f.name();
            Field source = in.field(f.name());
            if (source == null && avroField != null) {
                for (String alias : avroField.aliases()) {
                    source = source != null ? source : in.field(alias);
                }
            }
            sources[f.index()] = source;
            fns.add(null);
            if (source != null) {
                fns.set(f.index(), nullSafe(compile(source.schema(), f.schema(), avroField.schema(), fieldPath),
                        f.schema(), fieldPath));
            } else if (f.schema().defaultValue() == null && !f.schema().isOptional()) {
                fns.set(f.index(), fail(fieldPath, "type", "is missing and the target contract gives it no default"));
            }
        }
        return v -> {
            Struct struct = (Struct) v;
            var result = new Struct(out);
            for (Field f : outFields) {
                Field source = sources[f.index()];
                UnaryOperator<Object> fn = fns.get(f.index());
                if (source != null) {
                    result.put(f, fn.apply(struct.get(source)));
                } else if (fn != null) {
                    fn.apply(null);
                } else if (f.schema().defaultValue() != null) {
                    result.put(f, f.schema().defaultValue());
                }
            }
            return result;
        };
    }

    private static UnaryOperator<Object> primitive(Schema in, Schema out, String path) {
        boolean sameLogical = java.util.Objects.equals(in.name(), out.name());
        if (in.type() == out.type() && sameLogical) {
            return UnaryOperator.identity();
        }
        if (in.name() == null && out.name() == null) {
            UnaryOperator<Object> promotion = promotion(in.type(), out.type());
            if (promotion != null) {
                return promotion;
            }
        }
        String from = in.name() != null ? in.name() : in.type().name();
        String to = out.name() != null ? out.name() : out.type().name();
        return fail(path, "type", "is " + from + ", which Avro cannot promote to " + to);
    }

    private static UnaryOperator<Object> promotion(Schema.Type from, Schema.Type to) {
        return switch (from) {
            case INT8, INT16, INT32 -> switch (to) {
                case INT32 -> v -> ((Number) v).intValue();
                case INT64 -> v -> ((Number) v).longValue();
                case FLOAT32 -> v -> ((Number) v).floatValue();
                case FLOAT64 -> v -> ((Number) v).doubleValue();
                default -> null;
            };
            case INT64 -> switch (to) {
                case FLOAT32 -> v -> ((Number) v).floatValue();
                case FLOAT64 -> v -> ((Number) v).doubleValue();
                default -> null;
            };
            case FLOAT32 -> to == Schema.Type.FLOAT64 ? v -> ((Number) v).doubleValue() : null;
            case STRING -> to == Schema.Type.BYTES ? v -> ((String) v).getBytes(StandardCharsets.UTF_8) : null;
            case BYTES -> to == Schema.Type.STRING ? v -> v instanceof ByteBuffer bb
                    ? StandardCharsets.UTF_8.decode(bb.duplicate()).toString()
                    : new String((byte[]) v, StandardCharsets.UTF_8) : null;
            default -> null;
        };
    }

    private static UnaryOperator<Object> nullSafe(UnaryOperator<Object> fn, Schema out, String path) {
        return v -> {
            if (v != null) {
                return fn.apply(v);
            }
            if (!out.isOptional()) {
                throw new ProjectionException(new Violation(path, "type", "Field '" + path
                        + "' is null but the target contract does not allow null."));
            }
            return null;
        };
    }

    private static UnaryOperator<Object> fail(String path, String rule, String problem) {
        var violation = new Violation(path.isEmpty() ? "<root>" : path, rule, "Field '" + path + "' " + problem + ".");
        return v -> {
            throw new ProjectionException(violation);
        };
    }

    private static org.apache.avro.Schema nonNull(org.apache.avro.Schema s) {
        if (s.getType() != org.apache.avro.Schema.Type.UNION) {
            return s;
        }
        return s.getTypes().stream().filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL).findFirst().orElse(s);
    }

    /** Projects a schemaless value (nested maps for records) onto the target's Avro schema. */
    Object projectSchemaless(Object value) {
        return schemaless(value, targetAvro, "");
    }

    private Object schemaless(Object value, org.apache.avro.Schema avro, String path) {
        if (value == null) {
            if (avro.getType() == org.apache.avro.Schema.Type.NULL || avro.getType() == org.apache.avro.Schema.Type.UNION
                    && avro.getTypes().stream().anyMatch(t -> t.getType() == org.apache.avro.Schema.Type.NULL)) {
                return null;
            }
            throw new ProjectionException(new Violation(path, "type", "Field '" + path
                    + "' is null but the target contract does not allow null."));
        }
        org.apache.avro.Schema type = nonNull(avro);
        return switch (type.getType()) {
            case RECORD -> {
                if (!(value instanceof Map<?, ?> map)) {
                    throw new ProjectionException(new Violation(path.isEmpty() ? "<root>" : path, "type",
                            "Field '" + path + "' must be a map to project onto a record."));
                }
                var result = new LinkedHashMap<String, Object>();
                for (org.apache.avro.Schema.Field f : type.getFields()) {
                    String fieldPath = path.isEmpty() ? f.name() : path + "." + f.name();
                    String key = map.containsKey(f.name()) ? f.name()
                            : f.aliases().stream().filter(map::containsKey).findFirst().orElse(null);
                    if (key != null) {
                        result.put(f.name(), schemaless(map.get(key), f.schema(), fieldPath));
                    } else if (f.hasDefaultValue()) {
                        Object def = f.defaultVal();
                        result.put(f.name(), def == JsonProperties.NULL_VALUE ? null : def);
                    } else {
                        throw new ProjectionException(new Violation(fieldPath, "type", "Field '" + fieldPath
                                + "' is missing and the target contract gives it no default."));
                    }
                }
                yield result;
            }
            case ARRAY -> ((List<?>) value).stream().map(e -> schemaless(e, type.getElementType(), path)).toList();
            case MAP -> {
                var result = new HashMap<Object, Object>();
                ((Map<?, ?>) value).forEach((k, e) -> result.put(k, schemaless(e, type.getValueType(), path + ".*")));
                yield result;
            }
            case LONG -> value instanceof Integer || value instanceof Short || value instanceof Byte
                    ? ((Number) value).longValue() : value;
            case FLOAT -> value instanceof Number n && !(value instanceof Float) ? n.floatValue() : value;
            case DOUBLE -> value instanceof Number n && !(value instanceof Double) ? n.doubleValue() : value;
            default -> value;
        };
    }
}
