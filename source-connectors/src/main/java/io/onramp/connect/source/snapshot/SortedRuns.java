package io.onramp.connect.source.snapshot;

import io.onramp.connect.core.sort.DuplicateKeyException;
import io.onramp.connect.core.sort.ExternalSorter;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowKey;
import io.onramp.connect.core.sort.RowLayout;
import io.onramp.connect.core.sort.SortedRunFile;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Sorts a snapshot's rows by key into a run file of the archive, with a bounded amount of heap. */
public final class SortedRuns {

    private SortedRuns() {
    }

    /**
     * Writes {@code rows} sorted by {@code key} to {@code run}; its spill files go next to it, named for it (so
     * {@link SnapshotArchive#removeLeftovers} finds what a killed sort left).
     *
     * @return how many rows the run holds
     * @throws DuplicateKeyException when two rows have the same key
     * @throws SortCancelledException when {@code stopping} turned true
     */
    public static long write(Iterator<Row> rows, RowLayout layout, List<KeyColumn> key, Path run, long memoryBytes,
            BooleanSupplier stopping) {
        var sorter = new ExternalSorter(RowKey.of(layout, key), memoryBytes, run.getParent(),
                SnapshotArchive.spillPrefixOf(run));
        try (var sorted = sorter.sort(rows); var writer = SortedRunFile.create(run, layout, key)) {
            // Sorted rows go to the run file as encoded records: never decoded back into strings.
            for (long row = 1; sorted.advanceEncoded(); row++) {
                SortCancelledException.checkEvery1024(row, stopping);
                writer.appendEncoded(sorted.encodedArray(), sorted.encodedOffset(), sorted.encodedLength(),
                        sorted.encodedFields());
            }
            writer.commit();
            return writer.rowCount();
        }
    }
}
