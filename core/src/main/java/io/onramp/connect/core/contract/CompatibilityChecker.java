package io.onramp.connect.core.contract;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Checks a product's versions against a {@link CompatibilityMode} with Avro's own
 * {@link SchemaCompatibility} rules, and turns Avro's incompatibility locations
 * ({@code /fields/1/type/fields/0/type}) into field paths ({@code customer.email}).
 */
public final class CompatibilityChecker {

    private CompatibilityChecker() {
    }

    /**
     * @param versions a product's versions, oldest first
     * @return every problem found: each version against its predecessor, or against every earlier
     *         version when the mode is transitive
     */
    public static List<CompatibilityProblem> check(List<Contract> versions, CompatibilityMode mode) {
        var problems = new ArrayList<CompatibilityProblem>();
        if (mode == CompatibilityMode.NONE) {
            return problems;
        }
        for (int i = 1; i < versions.size(); i++) {
            Contract newer = versions.get(i);
            int first = mode.transitive() ? 0 : i - 1;
            for (int j = i - 1; j >= first; j--) {
                problems.addAll(checkPair(newer, versions.get(j), mode));
            }
        }
        return problems;
    }

    /** Checks {@code newer} against {@code older} in the directions {@code mode} asks for. */
    public static List<CompatibilityProblem> checkPair(Contract newer, Contract older, CompatibilityMode mode) {
        var problems = new ArrayList<CompatibilityProblem>();
        if (mode.checksBackward()) {
            collect(newer, older, mode, "backward", newer.schema(), older.schema(), problems);
        }
        if (mode.checksForward()) {
            collect(newer, older, mode, "forward", older.schema(), newer.schema(), problems);
        }
        return problems;
    }

    /** Whether data written with {@code writer} can be read with {@code reader}; the problems if not. */
    public static List<Incompatibility> readerWriter(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities();
    }

    private static void collect(Contract newer, Contract older, CompatibilityMode mode, String direction,
                                Schema reader, Schema writer, List<CompatibilityProblem> out) {
        for (Incompatibility inc : readerWriter(reader, writer)) {
            String field = fieldPath(reader, inc.getLocation());
            String detail = switch (inc.getType()) {
                case READER_FIELD_MISSING_DEFAULT_VALUE -> "the reading version (v"
                        + (reader == newer.schema() ? newer.version() : older.version())
                        + ") has this field without a default and the writing version (v"
                        + (writer == newer.schema() ? newer.version() : older.version()) + ") lacks it";
                default -> inc.getMessage();
            };
            out.add(new CompatibilityProblem(newer.productId(), newer.version(), older.version(), mode,
                    direction, field, detail));
        }
    }

    /** Follows an Avro location through the reader schema; stops at the first step it cannot name. */
    static String fieldPath(Schema reader, String location) {
        String[] steps = location.startsWith("/") ? location.substring(1).split("/") : location.split("/");
        var path = new StringBuilder();
        Schema current = reader;
        for (int i = 0; i < steps.length && current != null; i++) {
            String step = steps[i];
            if (current.getType() == Schema.Type.UNION && isIndex(step)) {
                Schema branch = singleNonNull(current);
                if (branch == null) {
                    break;
                }
                current = branch;
                continue;
            }
            switch (step) {
                case "fields" -> {
                    if (i + 1 >= steps.length || current.getType() != Schema.Type.RECORD || !isIndex(steps[i + 1])) {
                        return path.isEmpty() ? location : path.toString();
                    }
                    int idx = Integer.parseInt(steps[++i]);
                    if (idx >= current.getFields().size()) {
                        return path.isEmpty() ? location : path.toString();
                    }
                    Schema.Field f = current.getFields().get(idx);
                    path.append(path.isEmpty() ? "" : ".").append(f.name());
                    current = f.schema();
                }
                case "type" -> { }
                case "items" -> current = current.getType() == Schema.Type.ARRAY ? current.getElementType() : null;
                case "values" -> {
                    current = current.getType() == Schema.Type.MAP ? current.getValueType() : null;
                    path.append(".*");
                }
                default -> current = null;
            }
        }
        return path.isEmpty() ? location : path.toString();
    }

    private static Schema singleNonNull(Schema union) {
        List<Schema> nonNull = union.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        return nonNull.size() == 1 ? nonNull.get(0) : null;
    }

    private static boolean isIndex(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
