package io.onramp.connect.core.diff;

import io.onramp.connect.core.sort.KeyColumn;
import java.util.List;
import java.util.Set;

/**
 * How two snapshots are diffed.
 *
 * @param keyColumns identify a row; both snapshots must be sorted by them in this order
 * @param ignoredColumns not compared, e.g. an export timestamp that changes on every dump
 * @param readsForFirstSnapshot when the old snapshot is empty, emit each new row as
 *     {@link ChangeEvent.Op#READ} (Debezium's snapshot op) instead of an insert
 */
public record DiffOptions(List<KeyColumn> keyColumns, Set<String> ignoredColumns, boolean readsForFirstSnapshot) {

    public DiffOptions {
        keyColumns = List.copyOf(keyColumns);
        ignoredColumns = Set.copyOf(ignoredColumns);
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("A snapshot diff needs at least one key column");
        }
    }

    /** Text-ordered key columns, nothing ignored, inserts for the first snapshot. */
    public static DiffOptions keyedBy(String... keyColumns) {
        return new DiffOptions(List.of(keyColumns).stream().map(KeyColumn::text).toList(), Set.of(), false);
    }

    public DiffOptions ignoring(String... columns) {
        return new DiffOptions(keyColumns, Set.of(columns), readsForFirstSnapshot);
    }

    public DiffOptions withReadsForFirstSnapshot(boolean reads) {
        return new DiffOptions(keyColumns, ignoredColumns, reads);
    }
}
