package io.onramp.connect.core.contract;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Checks a record value, a Connect {@link Struct} or a schemaless {@code Map}, against a contract:
 * the Avro types (a missing non-optional field is a {@code type} violation; Avro enums expect a
 * string among the symbols) and every field's {@link FieldRules}. The contract is compiled once
 * into a tree of checks; validating walks the value and stops at the first violation.
 */
public final class RecordValidator {

    private final RecordCheck root;

    public RecordValidator(Contract contract) {
        this.root = compile(contract.schema(), "", new IdentityHashMap<>());
    }

    /** The first violation found, or {@code null} when the value satisfies the contract. */
    public Violation validate(Object value) {
        return checkRecord(root, value, "");
    }

    /**
     * Checks one top-level field's value alone (its nullability, type, nested records and rules), for a value
     * that arrives by itself, e.g. a JSON column typed by the field of a row contract; null when it satisfies it.
     *
     * @throws IllegalArgumentException when the contract has no such field
     */
    public Violation validateField(String name, Object value) {
        for (FieldCheck f : root.fields()) {
            if (f.name().equals(name)) {
                return checkField(f, value, false);
            }
        }
        throw new IllegalArgumentException("the contract has no field '" + name + "'");
    }

    private record FieldCheck(String name, String path, Schema schema, FieldRules rules, boolean optional,
                              Map<Schema, RecordCheck> nested) {
    }

    private record RecordCheck(FieldCheck[] fields) {
    }

    private static RecordCheck compile(Schema record, String prefix, Map<Schema, Boolean> inProgress) {
        inProgress.put(record, Boolean.TRUE);
        var checks = new ArrayList<FieldCheck>();
        for (Schema.Field f : record.getFields()) {
            String path = prefix + f.name();
            Object rules = f.getObjectProp(Contract.FIELD_RULES);
            var nested = new IdentityHashMap<Schema, RecordCheck>();
            collectNested(f.schema(), path, nested, inProgress);
            checks.add(new FieldCheck(f.name(), path, f.schema(), FieldRules.parse(path, rules),
                    f.hasDefaultValue() || isNullable(f.schema()), nested));
        }
        inProgress.remove(record);
        return new RecordCheck(checks.toArray(FieldCheck[]::new));
    }

    private static void collectNested(Schema s, String path, Map<Schema, RecordCheck> out, Map<Schema, Boolean> inProgress) {
        switch (s.getType()) {
            case RECORD -> {
                if (!inProgress.containsKey(s)) {
                    out.put(s, compile(s, path + ".", inProgress));
                }
            }
            case ARRAY -> collectNested(s.getElementType(), path, out, inProgress);
            case MAP -> collectNested(s.getValueType(), path + ".*", out, inProgress);
            case UNION -> s.getTypes().forEach(t -> collectNested(t, path, out, inProgress));
            default -> { }
        }
    }

    private static boolean isNullable(Schema s) {
        return s.getType() == Schema.Type.NULL
                || s.getType() == Schema.Type.UNION && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
    }

    private Violation checkRecord(RecordCheck check, Object value, String where) {
        if (value instanceof Struct struct) {
            for (FieldCheck f : check.fields()) {
                var connectField = struct.schema().field(f.name());
                Object v = connectField == null ? null : struct.get(connectField);
                Violation violation = checkField(f, v, connectField == null);
                if (violation != null) {
                    return violation;
                }
            }
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            for (FieldCheck f : check.fields()) {
                Object v = map.get(f.name());
                Violation violation = checkField(f, v, v == null && !map.containsKey(f.name()));
                if (violation != null) {
                    return violation;
                }
            }
            return null;
        }
        return new Violation(where.isEmpty() ? "<root>" : where, "type",
                (where.isEmpty() ? "The record value" : "Field '" + where + "'") + " must be a record (Struct or Map) but is "
                        + typeName(value) + ".");
    }

    private Violation checkField(FieldCheck f, Object v, boolean absent) {
        if (v == null) {
            if (absent && !f.optional()) {
                return new Violation(f.path(), "type", "Field '" + f.path() + "' is missing and the contract gives it no default.");
            }
            if (!absent && !isNullable(f.schema())) {
                return new Violation(f.path(), "type", "Field '" + f.path() + "' is null but the contract does not allow null.");
            }
            if (f.rules().required()) {
                return new Violation(f.path(), "required", "Field '" + f.path() + "' is required but is null.");
            }
            return null;
        }
        Violation typeViolation = checkValue(f, f.schema(), v);
        return typeViolation != null ? typeViolation : checkRules(f, v);
    }

    /** Type check of a non-null value, descending into records, arrays and maps. */
    private Violation checkValue(FieldCheck f, Schema s, Object v) {
        boolean ok = switch (s.getType()) {
            case NULL -> false;
            case BOOLEAN -> v instanceof Boolean;
            case INT -> v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof java.util.Date;
            case LONG -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    || v instanceof java.util.Date;
            case FLOAT, DOUBLE -> v instanceof Number;
            case STRING -> v instanceof CharSequence;
            case ENUM -> v instanceof CharSequence cs && s.getEnumSymbols().contains(cs.toString());
            case BYTES, FIXED -> v instanceof byte[] || v instanceof ByteBuffer || v instanceof BigDecimal;
            case ARRAY -> v instanceof List<?>;
            case MAP -> v instanceof Map<?, ?>;
            case RECORD -> v instanceof Struct || v instanceof Map<?, ?>;
            case UNION -> true;
        };
        if (!ok) {
            String expected = s.getType() == Schema.Type.ENUM ? "one of " + s.getEnumSymbols() : "a " + s.getType().getName();
            return new Violation(f.path(), "type", "Field '" + f.path() + "' must be " + expected + " but is "
                    + typeName(v) + ".");
        }
        return switch (s.getType()) {
            case UNION -> checkUnion(f, s, v);
            case ARRAY -> {
                for (Object e : (List<?>) v) {
                    Violation violation = e == null ? nullElement(f, s.getElementType()) : checkValue(f, s.getElementType(), e);
                    if (violation != null) {
                        yield violation;
                    }
                }
                yield null;
            }
            case MAP -> {
                for (Object e : ((Map<?, ?>) v).values()) {
                    Violation violation = e == null ? nullElement(f, s.getValueType()) : checkValue(f, s.getValueType(), e);
                    if (violation != null) {
                        yield violation;
                    }
                }
                yield null;
            }
            case RECORD -> {
                RecordCheck nested = f.nested().get(s);
                yield nested == null ? null : checkRecord(nested, v, f.path());
            }
            default -> null;
        };
    }

    private Violation checkUnion(FieldCheck f, Schema union, Object v) {
        Violation first = null;
        for (Schema branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            Violation violation = checkValue(f, branch, v);
            if (violation == null) {
                return null;
            }
            if (first == null) {
                first = violation;
            }
        }
        return first;
    }

    private Violation nullElement(FieldCheck f, Schema element) {
        return isNullable(element) ? null
                : new Violation(f.path(), "type", "Field '" + f.path() + "' contains a null element the contract does not allow.");
    }

    private Violation checkRules(FieldCheck f, Object v) {
        FieldRules r = f.rules();
        if (r.isEmpty()) {
            return null;
        }
        if (r.required() && v instanceof CharSequence cs && cs.isEmpty()) {
            return new Violation(f.path(), "required", "Field '" + f.path() + "' is required but is empty.");
        }
        if ((r.min() != null || r.max() != null) && v instanceof Number n) {
            BigDecimal d = decimal(n);
            if (r.min() != null && d.compareTo(r.min()) < 0) {
                return new Violation(f.path(), "min", "Field '" + f.path() + "' is below the minimum " + r.min().toPlainString() + ".");
            }
            if (r.max() != null && d.compareTo(r.max()) > 0) {
                return new Violation(f.path(), "max", "Field '" + f.path() + "' is above the maximum " + r.max().toPlainString() + ".");
            }
        }
        if (r.pattern() != null && v instanceof CharSequence cs && !r.pattern().matcher(cs).matches()) {
            return new Violation(f.path(), "pattern", "Field '" + f.path() + "' does not match the pattern " + r.pattern().pattern() + ".");
        }
        if (r.allowed() != null && !r.allowed().contains(v.toString())) {
            return new Violation(f.path(), "enum", "Field '" + f.path() + "' is not one of " + r.allowed() + ".");
        }
        if (r.maxLength() != null && length(v) > r.maxLength()) {
            return new Violation(f.path(), "maxLength", "Field '" + f.path() + "' is longer than " + r.maxLength() + ".");
        }
        return null;
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    private static int length(Object v) {
        if (v instanceof CharSequence cs) {
            return cs.length();
        }
        if (v instanceof byte[] b) {
            return b.length;
        }
        if (v instanceof ByteBuffer bb) {
            return bb.remaining();
        }
        if (v instanceof List<?> l) {
            return l.size();
        }
        return 0;
    }

    private static String typeName(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
