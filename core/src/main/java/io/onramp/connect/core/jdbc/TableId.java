package io.onramp.connect.core.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table's name as the database knows it: an optional catalog, an optional schema and the table. The parts are
 * the raw names (never quoted); {@link Dialect#qualify} quotes them.
 *
 * @param catalog the catalog (MariaDB: the database), or null
 * @param schema  the schema (PostgreSQL: e.g. {@code public}), or null
 * @param table   the table name, never blank
 */
public record TableId(String catalog, String schema, String table) implements Comparable<TableId> {

    public TableId {
        if (table == null || table.isEmpty()) {
            throw new IllegalArgumentException("a table name must not be empty");
        }
    }

    /**
     * Parses {@code table}, {@code schema.table} or {@code catalog.schema.table}. A part may be written in double
     * quotes to hold dots or quotes ({@code "my.schema"."odd""name"}); inside quotes {@code ""} is one quote.
     *
     * @throws IllegalArgumentException when the text is not such a name
     */
    public static TableId parse(String text) {
        List<String> parts = splitQualified(text);
        return switch (parts.size()) {
            case 1 -> new TableId(null, null, parts.get(0));
            case 2 -> new TableId(null, parts.get(0), parts.get(1));
            case 3 -> new TableId(parts.get(0), parts.get(1), parts.get(2));
            default -> throw new IllegalArgumentException("'" + text + "' has more than three dot-separated parts");
        };
    }

    private static List<String> splitQualified(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a table name must not be empty");
        }
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        String s = text.strip();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        current.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(finishPart(text, current, wasQuoted));
                current.setLength(0);
                wasQuoted = false;
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("'" + text + "' has an unclosed double quote");
        }
        parts.add(finishPart(text, current, wasQuoted));
        return parts;
    }

    private static String finishPart(String text, StringBuilder part, boolean wasQuoted) {
        String name = wasQuoted ? part.toString() : part.toString().strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has an empty name part");
        }
        return name;
    }

    /** The name as a user writes it in a config (dots between parts, parts holding dots or quotes quoted). */
    public String toConfigText() {
        StringBuilder out = new StringBuilder();
        for (String part : new String[] {catalog, schema, table}) {
            if (part == null) {
                continue;
            }
            if (out.length() > 0) {
                out.append('.');
            }
            if (part.contains(".") || part.contains("\"") || !part.equals(part.strip())) {
                out.append('"').append(part.replace("\"", "\"\"")).append('"');
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    @Override
    public int compareTo(TableId other) {
        return toConfigText().compareTo(other.toConfigText());
    }

    @Override
    public String toString() {
        return toConfigText();
    }

    /** Whether this id names the same table as {@code other}, ignoring parts either side leaves out. */
    public boolean matches(TableId other) {
        return table.equals(other.table)
                && (schema == null || other.schema == null || schema.equals(other.schema))
                && (catalog == null || other.catalog == null || Objects.equals(catalog, other.catalog));
    }
}
