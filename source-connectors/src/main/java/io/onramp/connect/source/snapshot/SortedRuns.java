package io.onramp.connect.source.snapshot;

import io.onramp.connect.core.diff.DiffOptions;
import io.onramp.connect.core.diff.SnapshotDiff;
import io.onramp.connect.core.diff.SpooledDiff;
import io.onramp.connect.core.sort.DuplicateKeyException;
import io.onramp.connect.core.sort.EncodedRowIterator;
import io.onramp.connect.core.sort.ExternalSorter;
import io.onramp.connect.core.sort.KeyBoundary;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.ReadAheadRows;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowCodec;
import io.onramp.connect.core.sort.RowKey;
import io.onramp.connect.core.sort.RowLayout;
import io.onramp.connect.core.sort.SortedRunFile;
import io.onramp.connect.core.sort.Threads;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sorts a snapshot's rows by key into a run file of the archive, with a bounded amount of heap. */
public final class SortedRuns {

    private static final Logger log = LoggerFactory.getLogger(SortedRuns.class);

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
        try (var sorted = sorter.sort(rows); var writer = SortedRunFile.create(run, layout, key);
             var written = writer.teeSorted(sorted)) {
            // Sorted rows go to the run file as encoded records: never decoded back into strings. Their key order
            // is checked once, by the sorter's output.
            for (long row = 1; written.advanceEncoded(); row++) {
                SortCancelledException.checkEvery1024(row, stopping);
            }
            writer.commit();
            return writer.rowCount();
        }
    }

    /**
     * As {@link #write}, with {@code rows} pulled on a second thread ({@link ReadAheadRows}): reading and checking
     * the input then runs beside the sort. For inputs that may be pulled from any thread (not, for example, a JDBC
     * result set tied to its connection's thread); worth it where {@link ReadAheadRows#worthIt} says so.
     */
    public static long writeReadingAhead(EncodedRowIterator rows, RowLayout layout, List<KeyColumn> key, Path run,
            long memoryBytes, BooleanSupplier stopping) {
        try (var input = readAhead(rows, run, "read")) {
            return write(input, layout, key, run, memoryBytes, stopping);
        }
    }

    /**
     * Sorts {@code rows} into {@code run} and diffs them against {@code previous} (the run of the snapshot applied
     * before) in the same pass: the merged rows stream into the diff as they are written to the run file, instead
     * of being written first and read back. With {@code readAhead}, reading the input, and later merging the
     * sorted runs, go to a second thread (see {@link #writeReadingAhead} for which inputs allow it).
     *
     * <p>The diff runs to its end before this returns, its events spooled to {@code events}, and the run file is
     * committed: a duplicate key that only the last merge step finds still fails the whole call before any event
     * can be handed out, as when the run is written first. The caller closes the result (which deletes
     * {@code events}); on failure nothing is kept.
     *
     * @throws DuplicateKeyException when two rows have the same key
     * @throws SortCancelledException when {@code stopping} turned true
     */
    public static Diffed writeAndDiff(Iterator<Row> rows, RowLayout layout, List<KeyColumn> key, Path run,
            long memoryBytes, BooleanSupplier stopping, boolean readAhead, Path previous, DiffOptions options,
            Path events) {
        var sorter = new ExternalSorter(RowKey.of(layout, key), memoryBytes, run.getParent(),
                SnapshotArchive.spillPrefixOf(run));
        EncodedRowIterator encoded = RowCodec.encoding(rows);
        try (var input = readAhead ? readAhead(encoded, run, "read") : new Passing(encoded, () -> false)) {
            var sorted = sorter.sort(input);
            return closing(List.of(sorted), () -> diffSorted(sorted, readAhead, layout, key, run, stopping, previous,
                    options, events));
        }
    }

    /**
     * As {@link #writeAndDiff(Iterator, RowLayout, List, Path, long, BooleanSupplier, boolean, Path, DiffOptions,
     * Path)}, for a snapshot read in {@code parts} (its rows: those of the first part, then the second, ...), each
     * read and sorted on a thread of its own ({@link ExternalSorter#sort(List, String)}); merging the sorted runs
     * then goes to a second thread. For inputs that may be pulled from any thread; the caller closes the parts.
     */
    public static Diffed writeAndDiff(List<? extends EncodedRowIterator> parts, RowLayout layout, List<KeyColumn> key,
            Path run, long memoryBytes, BooleanSupplier stopping, Path previous, DiffOptions options, Path events) {
        var sorter = new ExternalSorter(RowKey.of(layout, key), memoryBytes, run.getParent(),
                SnapshotArchive.spillPrefixOf(run));
        String threadName = "onramp-snapshot-read-" + run.getFileName();
        SortedRunFile.Middle middle = inHalves(key, options) ? SortedRunFile.middle(previous) : null;
        if (middle != null && middle.keyColumns().equals(key)) {
            var boundary = new KeyBoundary(RowKey.of(layout, key), RowKey.of(middle.layout(), key), middle.record(), 0,
                    middle.record().length);
            var halves = sorter.sort(parts, threadName, boundary);
            return closing(List.of(halves.lower(), halves.upper()),
                    () -> diffHalves(halves, layout, key, run, stopping, previous, middle, options, events));
        }
        var sorted = sorter.sort(parts, threadName);
        return closing(List.of(sorted),
                () -> diffSorted(sorted, true, layout, key, run, stopping, previous, options, events));
    }

    /**
     * Whether a diff by {@code options} of rows sorted by {@code key} may run in two key ranges, one per thread
     * ({@link #diffHalves}). The system property {@code onramp.snapshot.diffHalves=false} turns it off (to compare).
     */
    private static boolean inHalves(List<KeyColumn> key, DiffOptions options) {
        return options.keyColumns().equals(key) && !"false".equals(System.getProperty("onramp.snapshot.diffHalves"));
    }

    /**
     * The diff of a snapshot sorted in two halves, cut at the middle row of the snapshot before: each half merges its
     * runs, writes them to its share of the new run file and joins them with its share of the old one, the lower half
     * on this thread, the upper one on another. Merging and joining then each take both cores for the whole diff,
     * where merging on one thread and joining on the other hands every row from one core to the other (measured: the
     * hand-off cost as much CPU as it saved time). Each half spools its events; the lower half's come first.
     */
    private static Diffed diffHalves(ExternalSorter.Halves halves, RowLayout layout, List<KeyColumn> key, Path run,
            BooleanSupplier stopping, Path previous, SortedRunFile.Middle middle, DiffOptions options, Path events) {
        var failed = new java.util.concurrent.atomic.AtomicBoolean();
        BooleanSupplier halted = () -> failed.get() || stopping.getAsBoolean();
        Path upperEvents;
        try {
            upperEvents = SnapshotArchive.newEventsOf(run);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create a spool for the diff's events next to " + run, e);
        }
        boolean handedOn = false;
        try (var writer = SortedRunFile.create(run, layout, key)) {
            SortedRunFile.Part part = writer.upperPart(halves.lowerBytes());
            var upper = new java.util.concurrent.FutureTask<SpooledDiff>(() -> {
                try (var merged = part.teeSorted(halves.upper());
                     var old = SortedRunFile.open(previous, middle.offset(), -1)) {
                    // Both sides checked for a stop: a range whose new rows are all gone still joins its old ones.
                    return SpooledDiff.spool(SnapshotDiff.ofSortedNew(old.layout(), new Passing(old, halted), layout,
                            new Passing(merged, halted), options), upperEvents);
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
            });
            var thread = new Thread(upper, "onramp-snapshot-diff-" + run.getFileName());
            thread.setDaemon(true);
            thread.start();
            SpooledDiff lower = null;
            Throwable lowerFailure = null;
            try (var merged = writer.teeSorted(halves.lower());
                 var old = SortedRunFile.open(previous, -1, middle.offset())) {
                var oldBelow = new KeyBoundary(RowKey.of(old.layout(), key), RowKey.of(middle.layout(), key),
                        middle.record(), 0, middle.record().length);
                lower = SpooledDiff.spool(SnapshotDiff.ofSortedNewBelow(old.layout(), new Passing(old, halted), layout,
                        new Passing(merged, halted), options, oldBelow), events);
            } catch (RuntimeException | Error e) {
                failed.set(true);
                lowerFailure = e;
            }
            if (Threads.joinStopping(thread, failed)) {
                Thread.currentThread().interrupt();
            }
            SpooledDiff upperDiff = null;
            Throwable upperFailure = null;
            try {
                upperDiff = upper.get();
            } catch (java.util.concurrent.ExecutionException e) {
                upperFailure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                upperFailure = new IllegalStateException("Interrupted while taking the result of an ended thread", e);
            }
            if (lowerFailure != null || upperFailure != null) {
                // The first failure, not the stop it caused on the other range.
                boolean lowerOnlyStopped = lowerFailure instanceof SortCancelledException && upperFailure != null
                        && !stopping.getAsBoolean();
                Throwable failure = lowerFailure != null && !lowerOnlyStopped ? lowerFailure : upperFailure;
                closeQuietly(lower, failure);
                closeQuietly(upperDiff, failure);
                throw unchecked(failure);
            }
            var changes = SpooledDiff.concat(lower, upperDiff);
            try {
                writer.commit();
            } catch (RuntimeException | Error e) {
                changes.close();
                throw e;
            }
            handedOn = true;
            return new Diffed(writer.rowCount(), middle.layout(), changes, 2);
        } finally {
            if (!handedOn) {
                // whatever failed, the upper half's events are of no use (the changes delete them once handed on)
                try {
                    java.nio.file.Files.deleteIfExists(upperEvents);
                } catch (java.io.IOException e) {
                    log.warn("Could not delete {}: {}", upperEvents, e.toString());
                }
            }
        }
    }

    private static void closeQuietly(SpooledDiff changes, Throwable failure) {
        if (changes == null) {
            return;
        }
        try {
            changes.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    /**
     * The diff of {@code sorted}, which is closed afterwards: when the diff succeeded, its spill runs are deleted in
     * the background (merged to the end and committed, they are of no more use, and unlinking them can wait on the
     * file system behind the run file's sync).
     */
    private static Diffed closing(List<ExternalSorter.Sorted> sorted, java.util.function.Supplier<Diffed> diff) {
        Diffed diffed;
        try {
            diffed = diff.get();
        } catch (RuntimeException | Error e) {
            for (var each : sorted) {
                try {
                    each.close();
                } catch (RuntimeException | Error closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        for (var each : sorted) {
            try {
                each.closeInBackground();
            } catch (RuntimeException e) {
                // the diff and the run are whole: a spill run left behind is removed as a leftover on the next start
                log.warn("Could not close the merged spill runs: {}", e.toString());
            }
        }
        return diffed;
    }

    private static Diffed diffSorted(ExternalSorter.Sorted sorted, boolean readAhead, RowLayout layout,
            List<KeyColumn> key, Path run, BooleanSupplier stopping, Path previous, DiffOptions options, Path events) {
        // The new run is written as the rows are merged, on the merging thread when there is one: the diff's
        // thread only joins. The writer closes last, once that thread has stopped. The new rows' key order is
        // checked once, by the sorter's output: neither the writer nor the join compares them again.
        try (var writer = SortedRunFile.create(run, layout, key);
             var merged = readAhead ? readAhead(writer.teeSorted(sorted), run, "merge") : writer.teeSorted(sorted);
             var old = SortedRunFile.open(previous)) {
            // The sorter's check stands for the join's only when both order by the same key.
            var diff = options.keyColumns().equals(key)
                    ? SnapshotDiff.ofSortedNew(old.layout(), old, layout, new Passing(merged, stopping), options)
                    : SnapshotDiff.of(old.layout(), old, layout, new Passing(merged, stopping), options);
            SpooledDiff changes = SpooledDiff.spool(diff, events);
            try {
                writer.commit();
            } catch (RuntimeException | Error e) {
                changes.close();
                throw e;
            }
            return new Diffed(writer.rowCount(), old.layout(), changes, 1);
        }
    }

    /**
     * A snapshot sorted into its run and diffed against the one before.
     *
     * @param rows how many rows the new run holds
     * @param oldLayout the columns of the snapshot diffed against
     * @param changes the diff's events, to hand out and close
     * @param keyRanges in how many key ranges, each on a thread of its own, the sorted rows were merged and diffed
     */
    public record Diffed(long rows, RowLayout oldLayout, SpooledDiff changes, int keyRanges) {
    }

    private static ReadAheadRows readAhead(EncodedRowIterator rows, Path run, String stage) {
        return ReadAheadRows.start(rows, "onramp-snapshot-" + stage + "-" + run.getFileName());
    }

    /** Rows passed on as they are, checking for a stop every 1,024 of them; closing is left to their owner. */
    private static final class Passing implements EncodedRowIterator {
        private final EncodedRowIterator rows;
        private final BooleanSupplier stopping;
        private long count;

        Passing(EncodedRowIterator rows, BooleanSupplier stopping) {
            this.rows = rows;
            this.stopping = stopping;
        }

        @Override
        public boolean advanceEncoded() {
            SortCancelledException.checkEvery1024(++count, stopping);
            return rows.advanceEncoded();
        }

        @Override
        public byte[] encodedArray() {
            return rows.encodedArray();
        }

        @Override
        public int encodedOffset() {
            return rows.encodedOffset();
        }

        @Override
        public int encodedLength() {
            return rows.encodedLength();
        }

        @Override
        public RowCodec.Fields encodedFields() {
            return rows.encodedFields();
        }

        @Override
        public boolean hasNext() {
            throw new UnsupportedOperationException("encoded rows only");
        }

        @Override
        public Row next() {
            throw new NoSuchElementException("encoded rows only");
        }

        @Override
        public void close() {
            // the owner of the rows closes them
        }
    }
}
