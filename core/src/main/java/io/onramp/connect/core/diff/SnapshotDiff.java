package io.onramp.connect.core.diff;

import io.onramp.connect.core.sort.DuplicateKeyException;
import io.onramp.connect.core.sort.EncodedRowIterator;
import io.onramp.connect.core.sort.KeyBoundary;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowKey;
import io.onramp.connect.core.sort.RowLayout;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Merge join of two key-sorted snapshots into change events, pulled one at a time: memory is
 * one row per side, whatever the snapshot size (sorting is {@code ExternalSorter}'s job).
 *
 * <p>Rows are matched by key; a key only in the old snapshot is a delete, only in the new one an
 * insert, in both an update when the {@link RowHasher} hashes of their compared columns differ.
 * Compared columns are, by name, every column of either layout except the key and the ignored
 * ones, so column order may differ between snapshots; a column present in only one snapshot
 * compares as null on the other side.
 *
 * <p>The inputs are checked as they stream: a key out of order or repeated on one side fails
 * the diff (a wrong order would otherwise turn into silent spurious deletes and inserts).
 * The caller owns and closes the input iterators.
 *
 * <p>When both inputs are {@link EncodedRowIterator}s (a {@code SortedRunFile.Reader}, an
 * {@code ExternalSorter.Sorted}, a {@code SortedRunFile.Writer#tee}), the join runs on their
 * encoded records and decodes only the rows of events: unchanged rows never become strings.
 */
public final class SnapshotDiff implements ChangeStream {

    private final RowLayout oldLayout;
    private final RowLayout newLayout;
    private final Side oldSide;
    private final Side newSide;
    private final RowHasher oldHasher;
    private final RowHasher newHasher;
    private final ChangeEvent.Op insertOp;
    /** Set when both inputs are encoded: the whole join then runs on bytes. */
    private final EncodedDiff encoded;
    private ChangeEvent pending;
    private long inserts;
    private long updates;
    private long deletes;
    private long unchanged;

    private SnapshotDiff(RowLayout oldLayout, Iterator<Row> oldRows, RowLayout newLayout, Iterator<Row> newRows,
                         DiffOptions options, boolean newRowsChecked, KeyBoundary oldBelow) {
        this.oldLayout = oldLayout;
        this.newLayout = newLayout;
        List<String> compared = comparedColumns(oldLayout, newLayout, options);
        if (oldRows instanceof EncodedRowIterator oldEncoded && newRows instanceof EncodedRowIterator newEncoded) {
            this.encoded = new EncodedDiff(oldLayout, oldEncoded, newLayout, newEncoded, options, compared,
                    newRowsChecked, oldBelow);
            this.oldSide = null;
            this.newSide = null;
            this.oldHasher = null;
            this.newHasher = null;
            this.insertOp = encoded.insertOp();
            return;
        }
        if (oldBelow != null) {
            throw new IllegalArgumentException("A bound on the old rows needs both inputs encoded");
        }
        this.encoded = null;
        this.oldSide = new Side("old", oldLayout, RowKey.of(oldLayout, options.keyColumns()), oldRows);
        this.newSide = new Side("new", newLayout, RowKey.of(newLayout, options.keyColumns()), newRows);
        this.oldHasher = new RowHasher(oldLayout, compared);
        this.newHasher = new RowHasher(newLayout, compared);
        // Decided before the first pull: an empty old snapshot means this is the first one.
        boolean first = options.readsForFirstSnapshot() && oldSide.current == null;
        this.insertOp = first ? ChangeEvent.Op.READ : ChangeEvent.Op.INSERT;
    }

    public static SnapshotDiff of(RowLayout oldLayout, Iterator<Row> oldRows, RowLayout newLayout,
                                  Iterator<Row> newRows, DiffOptions options) {
        return new SnapshotDiff(oldLayout, oldRows, newLayout, newRows, options, false, null);
    }

    /**
     * As {@link #of}, for new rows that come (through hand-offs that keep their order) from an
     * {@code ExternalSorter.Sorted} sorting by {@code options}' key, which already fails on a key out of order or
     * repeated: the join does not compare each new row with the one before again (when both inputs are encoded).
     * The old rows are checked as always.
     */
    public static SnapshotDiff ofSortedNew(RowLayout oldLayout, Iterator<Row> oldRows, RowLayout newLayout,
                                           Iterator<Row> newRows, DiffOptions options) {
        return new SnapshotDiff(oldLayout, oldRows, newLayout, newRows, options, true, null);
    }

    /**
     * As {@link #ofSortedNew}, for the lower half of both snapshots, cut at a row of the old one: every old row must
     * sort before {@code oldBelow} (each half checks its own order; this checks the cut), and the new rows were cut
     * at the same key. Both inputs must be encoded.
     */
    public static SnapshotDiff ofSortedNewBelow(RowLayout oldLayout, EncodedRowIterator oldRows, RowLayout newLayout,
                                                EncodedRowIterator newRows, DiffOptions options, KeyBoundary oldBelow) {
        return new SnapshotDiff(oldLayout, oldRows, newLayout, newRows, options, true, oldBelow);
    }

    /** Pushes every event to {@code sink} and returns the summary; for callers that want a visitor. */
    public static DiffSummary run(RowLayout oldLayout, Iterator<Row> oldRows, RowLayout newLayout,
                                  Iterator<Row> newRows, DiffOptions options, Consumer<ChangeEvent> sink) {
        var diff = of(oldLayout, oldRows, newLayout, newRows, options);
        diff.forEachRemaining(sink);
        return diff.summary();
    }

    /** Columns compared for updates, sorted by name so the hash does not depend on column order. */
    static List<String> comparedColumns(RowLayout oldLayout, RowLayout newLayout, DiffOptions options) {
        for (String ignored : options.ignoredColumns()) {
            if (oldLayout.indexOf(ignored) < 0 && newLayout.indexOf(ignored) < 0) {
                throw new IllegalArgumentException("Ignored column '" + ignored + "' is in neither snapshot: old "
                        + oldLayout.columnNames() + ", new " + newLayout.columnNames());
            }
        }
        var names = new TreeSet<String>(oldLayout.columnNames());
        names.addAll(newLayout.columnNames());
        options.keyColumns().stream().map(KeyColumn::name).forEach(names::remove);
        names.removeAll(options.ignoredColumns());
        return List.copyOf(names);
    }

    public RowLayout oldLayout() {
        return oldLayout;
    }

    public RowLayout newLayout() {
        return newLayout;
    }

    /** Counts so far; final once {@link #hasNext()} has returned false. */
    @Override
    public DiffSummary summary() {
        if (encoded != null) {
            long reads = insertOp == ChangeEvent.Op.READ ? encoded.inserts : 0;
            return new DiffSummary(encoded.oldCount(), encoded.newCount(), encoded.inserts - reads, encoded.updates,
                    encoded.deletes, encoded.unchanged, reads);
        }
        long reads = insertOp == ChangeEvent.Op.READ ? inserts : 0;
        return new DiffSummary(oldSide.count, newSide.count, inserts - reads, updates, deletes, unchanged, reads);
    }

    @Override
    public boolean hasNext() {
        if (encoded != null) {
            while (pending == null && !encoded.done()) {
                pending = encoded.step();
            }
            return pending != null;
        }
        while (pending == null && (oldSide.current != null || newSide.current != null)) {
            pending = step();
        }
        return pending != null;
    }

    @Override
    public ChangeEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ChangeEvent event = pending;
        pending = null;
        return event;
    }

    /** Advances past one key; returns its event, or null when the row is unchanged. */
    private ChangeEvent step() {
        Row before = oldSide.current;
        Row after = newSide.current;
        int c = before == null ? 1 : after == null ? -1 : oldSide.key.compareAcross(before, newSide.key, after);
        if (c < 0) {
            oldSide.advance();
            deletes++;
            return new ChangeEvent(ChangeEvent.Op.DELETE, oldSide.key.values(before), before, null);
        }
        newSide.advance();
        if (c > 0) {
            inserts++;
            return new ChangeEvent(insertOp, newSide.key.values(after), null, after);
        }
        oldSide.advance();
        if (RowHasher.sameContent(oldHasher, before, newHasher, after)) {
            unchanged++;
            return null;
        }
        updates++;
        return new ChangeEvent(ChangeEvent.Op.UPDATE, newSide.key.values(after), before, after);
    }

    /** One input: its current row, and the checks that it is well formed and strictly key-ordered. */
    private static final class Side {
        final String name;
        final RowLayout layout;
        final RowKey key;
        final Iterator<Row> rows;
        Row current;
        long count;

        Side(String name, RowLayout layout, RowKey key, Iterator<Row> rows) {
            this.name = name;
            this.layout = layout;
            this.key = key;
            this.rows = rows;
            advance();
        }

        void advance() {
            Row previous = current;
            current = rows.hasNext() ? rows.next() : null;
            if (current == null) {
                return;
            }
            count++;
            if (current.size() != layout.size()) {
                throw new IllegalArgumentException("Line " + current.lineNumber() + " of the " + name + " snapshot has "
                        + current.size() + " values for " + layout.size() + " columns " + layout.columnNames());
            }
            if (previous != null) {
                int c = key.compare(previous, current);
                if (c == 0) {
                    throw new DuplicateKeyException(key.columnNames(), key.values(current),
                            previous.lineNumber(), current.lineNumber());
                }
                if (c > 0) {
                    // Lines, not key values: those may be personal data.
                    throw new IllegalStateException("The " + name + " snapshot is not sorted by " + key.columnNames()
                            + ": line " + current.lineNumber() + " follows line " + previous.lineNumber()
                            + " but its key sorts before");
                }
            }
        }
    }
}
