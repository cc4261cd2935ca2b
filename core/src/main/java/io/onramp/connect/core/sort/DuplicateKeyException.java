package io.onramp.connect.core.sort;

import java.util.List;

/**
 * Two rows of one snapshot share a key. A snapshot diff cannot tell which of them is "the" row,
 * so this is never resolved silently: the user must fix the export (or the key configuration).
 * Unchecked because it surfaces from {@link java.util.Iterator#next()}.
 */
public class DuplicateKeyException extends RuntimeException {

    private final List<String> keyValues;
    private final long firstLine;
    private final long secondLine;

    public DuplicateKeyException(List<String> keyColumns, List<String> keyValues, long firstLine, long secondLine) {
        // Names the key fields, not their values (they may be personal data); the lines locate the rows.
        super("Duplicate key " + describe(keyColumns, keyValues.size()) + " on lines " + firstLine + " and " + secondLine
                + "; a snapshot must hold each key once (rule unique key)");
        this.keyValues = keyValues;
        this.firstLine = firstLine;
        this.secondLine = secondLine;
    }

    private static String describe(List<String> names, int size) {
        var text = new StringBuilder("(");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(i < names.size() ? names.get(i) : "#" + i);
        }
        return text.append(')').toString();
    }

    public List<String> keyValues() {
        return keyValues;
    }

    /** Line of the row met first in input order. */
    public long firstLine() {
        return firstLine;
    }

    public long secondLine() {
        return secondLine;
    }
}
