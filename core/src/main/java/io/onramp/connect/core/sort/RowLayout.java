package io.onramp.connect.core.sort;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The column names of a snapshot, in the order values appear in each {@link Row}. Two snapshots
 * of the same table may list columns in a different order; the diff matches them by name.
 */
public record RowLayout(List<String> columnNames) {

    public RowLayout {
        columnNames = List.copyOf(columnNames);
        var seen = new HashMap<String, Integer>();
        for (String name : columnNames) {
            if (seen.put(name, 0) != null) {
                throw new IllegalArgumentException("Column '" + name + "' appears twice in " + columnNames);
            }
        }
    }

    public static RowLayout of(String... columnNames) {
        return new RowLayout(List.of(columnNames));
    }

    public int size() {
        return columnNames.size();
    }

    public String name(int index) {
        return columnNames.get(index);
    }

    /** The index of {@code name}, or -1 when this layout has no such column. */
    public int indexOf(String name) {
        return columnNames.indexOf(name);
    }

    /** The index of {@code name}; fails with a sentence naming the known columns when absent. */
    public int require(String name) {
        int index = indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("Column '" + name + "' is not one of " + columnNames);
        }
        return index;
    }

    /** Name to index, for callers that look up many names. */
    public Map<String, Integer> indexByName() {
        var map = new HashMap<String, Integer>();
        for (int i = 0; i < columnNames.size(); i++) {
            map.put(columnNames.get(i), i);
        }
        return map;
    }
}
