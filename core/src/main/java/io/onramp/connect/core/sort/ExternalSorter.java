package io.onramp.connect.core.sort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts rows by key within a fixed heap budget, so the input is bounded by disk, not heap.
 *
 * <p>Each row is encoded once ({@link RowCodec}) into one large byte array, beside a 64-bit
 * key prefix ({@link RowKey#prefix}); when the array and its index exceed the budget, the index
 * is sorted (by prefix, by the full key only when prefixes tie) and the records are spilled as a
 * run to a temp file, byte for byte. Runs are merged k-way; the fan-in is capped so the merge's
 * read buffers also fit the budget, and more runs than that are merged in extra passes first.
 * Rows are never decoded to strings on the way unless the caller asks for {@link Row}s: an
 * {@link EncodedRowIterator} input (e.g. {@link CsvRowReader}) is copied as bytes, and the
 * result is itself an {@link EncodedRowIterator}, which {@code SnapshotDiff} and
 * {@link SortedRunFile.Writer} consume as bytes.
 *
 * <p>The sort is stable (ties go to the earlier row, in memory and in the merge), so when two
 * rows share a key the one met first in the input comes first, and the
 * {@link DuplicateKeyException} raised on the output names the lines in input order.
 */
public final class ExternalSorter {

    private static final Logger log = LoggerFactory.getLogger(ExternalSorter.class);
    private static final int WRITE_BUFFER = BufferSizes.LARGEST;
    private static final int MAX_FAN_IN = 512;
    /** Index cost per buffered row: prefix, offset, and the two int arrays of the merge sort. */
    private static final int INDEX_BYTES = 20;
    private static final int ARENA_JUMP = 4 << 20;
    /** Room past a large buffer's budget for the row that takes it over (a longer one grows it). */
    static final int ARENA_SLACK = 64 * 1024;
    /** Bytes per row (index included) a large buffer's index is first sized for; it doubles when rows are smaller. */
    private static final int LARGE_ROW_GUESS = 96;
    /** How many rows of a sorted buffer are touched together, a batch ahead of the rows being copied. */
    private static final int TOUCH_BATCH = 16;
    /**
     * Deletes the spill runs of a finished merge off the caller's thread: unlinking large files can wait on the
     * file system's journal (behind an fsync of the run file just written, say), and nothing waits for it. A run left
     * by a JVM that ends first is a leftover like those of a killed sort, removed by whoever owns the directory.
     */
    static final java.util.concurrent.ExecutorService CLEANUP = new java.util.concurrent.ThreadPoolExecutor(0,
            1, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), task -> {
                var thread = new Thread(task, "onramp-sort-cleanup");
                thread.setDaemon(true);
                return thread;
            });

    private final RowKey key;
    private final long budgetBytes;
    private final Path tempDir;
    private final String spillPrefix;
    private final int readBuffer;
    private final int fanIn;

    /**
     * @param key orders the rows
     * @param budgetBytes heap the sort may use for buffered rows, and separately for merge buffers
     * @param tempDir where spill runs go; it should be on a disk with room for the whole input
     */
    public ExternalSorter(RowKey key, long budgetBytes, Path tempDir) {
        this(key, budgetBytes, tempDir, "onramp-sort-");
    }

    /**
     * @param spillPrefix how spill runs' file names start, so that whoever owns {@code tempDir} can recognize
     *                    (and remove) what a killed sort left there
     */
    public ExternalSorter(RowKey key, long budgetBytes, Path tempDir, String spillPrefix) {
        if (budgetBytes < 4096) {
            throw new IllegalArgumentException("Sort memory budget must be at least 4096 bytes, was " + budgetBytes);
        }
        this.key = Objects.requireNonNull(key, "key");
        this.budgetBytes = budgetBytes;
        this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
        this.spillPrefix = Objects.requireNonNull(spillPrefix, "spillPrefix");
        this.readBuffer = (int) Math.max(4096, Math.min(BufferSizes.LARGEST, budgetBytes / 64));
        this.fanIn = (int) Math.max(2, Math.min(MAX_FAN_IN, budgetBytes / readBuffer));
    }

    /**
     * Sorts {@code input} (consumed fully before the first row is returned). The caller must close
     * the result, which deletes any spill files. Duplicate keys surface from the result's {@code next()}.
     *
     * @throws UncheckedIOException when spilling fails
     */
    public Sorted sort(Iterator<Row> input) {
        var runs = new ArrayList<Path>();
        try {
            var buffer = new SortBuffer(key, budgetBytes);
            var encoded = input instanceof EncodedRowIterator e ? e : null;
            var encoder = encoded == null ? new RowCodec.Encoder() : null;
            var fields = new RowCodec.Fields();
            long rows = 0;
            while (true) {
                if (encoded != null) {
                    if (!encoded.advanceEncoded()) {
                        break;
                    }
                    buffer.add(encoded.encodedArray(), encoded.encodedOffset(), encoded.encodedLength(),
                            encoded.encodedFields());
                } else {
                    if (!input.hasNext()) {
                        break;
                    }
                    encoder.encode(input.next());
                    fields.scan(encoder.array(), 0, encoder.length());
                    buffer.add(encoder.array(), 0, encoder.length(), fields);
                }
                rows++;
                if (buffer.bytes() > budgetBytes) {
                    runs.add(spill(buffer));
                    buffer.clear();
                }
            }
            if (runs.isEmpty()) {
                buffer.sort();
                return new Sorted(buffer.stream(), List.of(), 0, rows);
            }
            if (buffer.count() > 0) {
                runs.add(spill(buffer));
            }
            buffer = null; // let the arena go before the merge allocates its buffers
            int spilled = runs.size();
            while (runs.size() > fanIn) {
                runs = mergePass(runs);
            }
            log.debug("Sorted {} rows: {} runs spilled to {}, final merge of {}", rows, spilled, tempDir, runs.size());
            return new Sorted(new MergeStream(runs, readBuffer), runs, spilled, rows);
        } catch (IOException e) {
            runs.forEach(ExternalSorter::deleteQuietly);
            throw new UncheckedIOException("Sort spill to " + tempDir + " failed", e);
        } catch (RuntimeException | Error e) {
            runs.forEach(ExternalSorter::deleteQuietly);
            throw e;
        }
    }

    /**
     * Sorts several inputs as if they were one, the rows of {@code parts.get(0)} first, then those of
     * {@code parts.get(1)}, and so on (ties keep that order, as in {@link #sort(Iterator)}): each part is read,
     * buffered, sorted and spilled on a thread of its own (the first on the calling thread, the others on threads
     * named {@code threadName-i}), with {@code budgetBytes / parts.size()} of buffer each, so reading a large input
     * in parts runs on as many cores. A part that fits its buffer is merged from memory, without a spill.
     *
     * <p>When a part fails, the others stop, nothing is kept, and the failure of the first part (in input order)
     * that failed is thrown as it was. The caller closes the parts.
     */
    public Sorted sort(List<? extends EncodedRowIterator> parts, String threadName) {
        if (parts.size() == 1) {
            return sort(parts.get(0));
        }
        List<PartSort> sorts = sortParts(parts, threadName, null);
        var sources = new ArrayList<Object>();
        var files = new ArrayList<Path>();
        long rows = 0;
        for (PartSort sort : sorts) {
            files.addAll(sort.runs);
            sources.addAll(sort.runs);
            if (sort.last != null) {
                sources.add(sort.last);
            }
            rows += sort.rows;
        }
        try {
            int spilled = files.size();
            if (sources.isEmpty()) {
                var empty = new SortBuffer(key, 4096);
                empty.sort();
                return new Sorted(empty.stream(), List.of(), 0, 0);
            }
            if (sources.size() == 1 && sources.get(0) instanceof SortBuffer only) {
                return new Sorted(only.stream(), List.of(), 0, rows);
            }
            mergeDown(sources, files, fanIn);
            log.debug("Sorted {} rows in {} parts: {} runs spilled to {}, final merge of {}", rows, parts.size(),
                    spilled, tempDir, sources.size());
            return new Sorted(new MergeStream(sources, readBuffer), files, spilled, rows);
        } catch (IOException e) {
            files.forEach(ExternalSorter::deleteQuietly);
            throw new UncheckedIOException("Sort spill to " + tempDir + " failed", e);
        } catch (RuntimeException | Error e) {
            files.forEach(ExternalSorter::deleteQuietly);
            throw e;
        }
    }

    /**
     * As {@link #sort(List, String)}, the sorted rows handed out in two halves cut at {@code boundary}: the rows
     * whose key sorts before it, and the rest, each merged on its own, so that two threads can take one half each.
     * Each part's spills are cut in two as they are written, so neither half reads what belongs to the other. Each
     * half's merge gets half the read buffers of a whole one. The caller closes both halves.
     */
    public Halves sort(List<? extends EncodedRowIterator> parts, String threadName, KeyBoundary boundary) {
        List<PartSort> sorts = sortParts(parts, threadName, boundary);
        var lower = new ArrayList<Object>();
        var upper = new ArrayList<Object>();
        var lowerFiles = new ArrayList<Path>();
        var upperFiles = new ArrayList<Path>();
        long rows = 0;
        long lowerRows = 0;
        long lowerBytes = 0;
        for (PartSort sort : sorts) {
            lowerFiles.addAll(sort.runs);
            lower.addAll(sort.runs);
            upperFiles.addAll(sort.upperRuns);
            upper.addAll(sort.upperRuns);
            if (sort.last != null) {
                if (sort.lastBefore > 0) {
                    lower.add(new BufferRange(sort.last, 0, sort.lastBefore));
                }
                if (sort.lastBefore < sort.last.count()) {
                    upper.add(new BufferRange(sort.last, sort.lastBefore, sort.last.count()));
                }
            }
            rows += sort.rows;
            lowerRows += sort.lowerRows;
            lowerBytes += sort.lowerBytes;
        }
        int spilled = lowerFiles.size() + upperFiles.size();
        Sorted lowerHalf = null;
        try {
            int limit = Math.max(2, fanIn / 2);
            mergeDown(lower, lowerFiles, limit);
            mergeDown(upper, upperFiles, limit);
            int bufferBytes = Math.max(4096, readBuffer / 2);
            lowerHalf = new Sorted(new MergeStream(lower, bufferBytes), lowerFiles, spilled, lowerRows);
            var upperHalf = new Sorted(new MergeStream(upper, bufferBytes), upperFiles, spilled, rows - lowerRows);
            log.debug("Sorted {} rows in {} parts, cut in halves of {} and {} rows: {} runs spilled to {}", rows,
                    parts.size(), lowerRows, rows - lowerRows, spilled, tempDir);
            return new Halves(lowerHalf, upperHalf, lowerBytes);
        } catch (IOException | RuntimeException | Error e) {
            if (lowerHalf != null) {
                lowerHalf.close();
            }
            lowerFiles.forEach(ExternalSorter::deleteQuietly);
            upperFiles.forEach(ExternalSorter::deleteQuietly);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Sort spill to " + tempDir + " failed", io);
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * The sorted rows in two halves (see {@link #sort(List, String, KeyBoundary)}).
     *
     * @param lowerBytes the encoded bytes of the lower half's rows, as they are written to a run file
     */
    public record Halves(Sorted lower, Sorted upper, long lowerBytes) {
    }

    /**
     * Reads, sorts and spills each part on a thread of its own (the first on the calling thread); with a
     * {@code boundary}, every spill is cut in two at it. When a part fails, the others stop, what they spilled is
     * deleted, and the failure of the first part (in input order) that failed is thrown as it was.
     */
    private List<PartSort> sortParts(List<? extends EncodedRowIterator> parts, String threadName,
            KeyBoundary boundary) {
        long partBudget = Math.max(4096, budgetBytes / parts.size());
        var abort = new java.util.concurrent.atomic.AtomicBoolean();
        var sorts = new ArrayList<PartSort>();
        var threads = new ArrayList<Thread>();
        for (EncodedRowIterator part : parts) {
            sorts.add(new PartSort(part, partBudget, abort, boundary));
        }
        for (int i = 1; i < sorts.size(); i++) {
            var thread = new Thread(sorts.get(i), threadName + "-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        sorts.get(0).run();
        boolean interrupted = false;
        for (Thread thread : threads) {
            interrupted |= Threads.joinStopping(thread, abort); // the parts stop within 1,024 rows
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = null;
        for (PartSort sort : sorts) {
            if (failure == null && sort.failure != null && !(sort.failure instanceof Aborted)) {
                failure = sort.failure;
            }
        }
        if (failure == null && interrupted) {
            failure = new IllegalStateException("Interrupted while sorting");
        }
        if (failure != null) {
            for (PartSort sort : sorts) {
                sort.runs.forEach(ExternalSorter::deleteQuietly);
                sort.upperRuns.forEach(ExternalSorter::deleteQuietly);
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) failure;
        }
        return sorts;
    }

    /**
     * Makes {@code sources} (run files, sorted buffers and buffer ranges, in input order) at most {@code limit}
     * runs: too many for one merge, every buffer goes to its own run, in order, then merge passes as for one input.
     * {@code files} is kept listing the run files that exist.
     */
    private void mergeDown(ArrayList<Object> sources, ArrayList<Path> files, int limit) throws IOException {
        if (sources.size() <= limit) {
            return;
        }
        for (int i = 0; i < sources.size(); i++) {
            Path file = null;
            if (sources.get(i) instanceof SortBuffer buffer) {
                file = spill(buffer);
            } else if (sources.get(i) instanceof BufferRange range) {
                file = spill(range);
            }
            if (file != null) {
                files.add(file);
                sources.set(i, file);
            }
        }
        @SuppressWarnings("unchecked")
        List<Path> runs = (List<Path>) (List<?>) sources;
        var merged = new ArrayList<>(runs);
        while (merged.size() > limit) {
            var next = mergePass(merged);
            files.removeAll(merged); // mergePass deleted them
            files.addAll(next);
            merged = next;
        }
        sources.clear();
        sources.addAll(merged);
    }

    /** Rows {@code [first, end)} of a sorted buffer, in key order: one half's share of a buffer kept in memory. */
    private record BufferRange(SortBuffer buffer, int first, int end) {
    }

    /** One part of {@link #sort(List, String)}: its runs spilled, its last buffer sorted, or what failed. */
    private final class PartSort implements Runnable {
        private final EncodedRowIterator input;
        private final long budget;
        private final java.util.concurrent.atomic.AtomicBoolean abort;
        /** Where spills are cut in two; null for one whole run per spill. */
        private final KeyBoundary boundary;
        /** The spilled runs; with a boundary, the lower halves of the spills. */
        final List<Path> runs = new ArrayList<>();
        /** With a boundary, the upper halves of the spills. */
        final List<Path> upperRuns = new ArrayList<>();
        SortBuffer last;
        /** With a boundary, how many of {@link #last}'s rows (in key order) sort before it. */
        int lastBefore;
        long rows;
        long lowerRows;
        long lowerBytes;
        Throwable failure;

        PartSort(EncodedRowIterator input, long budget, java.util.concurrent.atomic.AtomicBoolean abort,
                 KeyBoundary boundary) {
            this.input = input;
            this.budget = budget;
            this.abort = abort;
            this.boundary = boundary;
        }

        private void spillPart(SortBuffer buffer) throws IOException {
            if (boundary == null) {
                runs.add(spill(buffer));
                return;
            }
            buffer.sort();
            int before = buffer.countBefore(boundary);
            if (before > 0) {
                Spill lower = spillRows(buffer, 0, before);
                runs.add(lower.file());
                lowerRows += before;
                lowerBytes += lower.bytes();
            }
            if (before < buffer.count()) {
                upperRuns.add(spill(buffer, before, buffer.count()));
            }
        }

        @Override
        public void run() {
            try {
                // A part is a share of a large input (see ReadAheadRows.worthIt): its buffer is sized for its budget
                // at once, rather than grown to it by copying.
                var buffer = new SortBuffer(key, budget, true);
                while (input.advanceEncoded()) {
                    buffer.add(input.encodedArray(), input.encodedOffset(), input.encodedLength(), input.encodedFields());
                    rows++;
                    if ((rows & 1023) == 0 && abort.get()) {
                        throw new Aborted();
                    }
                    if (buffer.bytes() > budget) {
                        spillPart(buffer);
                        buffer.clear();
                    }
                }
                if (buffer.count() > 0 && runs.isEmpty() && upperRuns.isEmpty()) {
                    buffer.sort();
                    last = buffer;
                    if (boundary != null) {
                        lastBefore = buffer.countBefore(boundary);
                        lowerRows += lastBefore;
                        lowerBytes += buffer.bytes(0, lastBefore);
                    }
                } else if (buffer.count() > 0) {
                    // Spilled too, in this thread: the merge then reads every run in order, sequentially, where
                    // picking rows out of a buffer in sorted order would cost it a cache miss per row.
                    spillPart(buffer);
                }
                if (last != buffer) {
                    buffer.keepMemory();
                }
            } catch (Aborted e) {
                failure = e;
            } catch (IOException e) {
                failure = new UncheckedIOException("Sort spill to " + tempDir + " failed", e);
                abort.set(true);
            } catch (RuntimeException | Error e) {
                failure = e;
                abort.set(true);
            }
        }
    }

    /** A part stopped because another one failed. */
    private static final class Aborted extends RuntimeException {
        Aborted() {
            super(null, null, false, false);
        }
    }

    private Path spill(SortBuffer buffer) throws IOException {
        buffer.sort();
        return spill(buffer, 0, buffer.count());
    }

    private Path spill(BufferRange range) throws IOException {
        return spill(range.buffer(), range.first(), range.end());
    }

    private Path spill(SortBuffer buffer, int first, int end) throws IOException {
        return spillRows(buffer, first, end).file();
    }

    /** Writes the rows {@code [first, end)} of a sorted buffer, in key order, to a run file of their own. */
    private Spill spillRows(SortBuffer buffer, int first, int end) throws IOException {
        Path file = Files.createTempFile(tempDir, spillPrefix, ".run");
        long bytes;
        try (var out = new RecordOutput(writing(file), WRITE_BUFFER)) {
            bytes = buffer.writeSorted(out, first, end);
            out.write(RowCodec.END);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        return new Spill(file, bytes);
    }

    /** A run file spilled, and the bytes of its rows (its END marker left out). */
    private record Spill(Path file, long bytes) {
    }

    /** Merges consecutive groups of runs (consecutive keeps the sort stable) into fewer, longer runs. */
    private ArrayList<Path> mergePass(List<Path> runs) throws IOException {
        var merged = new ArrayList<Path>();
        try {
            for (int from = 0; from < runs.size(); from += fanIn) {
                var group = runs.subList(from, Math.min(runs.size(), from + fanIn));
                Path file = Files.createTempFile(tempDir, spillPrefix, ".run");
                merged.add(file);
                try (var stream = new MergeStream(group, readBuffer);
                     var out = new RecordOutput(writing(file), WRITE_BUFFER)) {
                    while (stream.advanceEncoded()) {
                        out.write(stream.encodedArray(), stream.encodedOffset(), stream.encodedLength());
                    }
                    out.write(RowCodec.END);
                }
                group.forEach(ExternalSorter::deleteQuietly);
            }
        } catch (IOException | RuntimeException e) {
            merged.forEach(ExternalSorter::deleteQuietly); // the caller deletes the inputs
            throw e;
        }
        return merged;
    }

    /** {@code file}, emptied, for writing (as {@link Files#newOutputStream} opens it). */
    private static java.nio.channels.FileChannel writing(Path file) throws IOException {
        return java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete sort spill file {}: {}", file, e.toString());
        }
    }

    /**
     * The sorted output; checks adjacent keys so duplicates are reported, never passed on, and so a row out of key
     * order fails here. This is the one check of the new rows' order: a run file writer's
     * {@link SortedRunFile.Writer#teeSorted} and a diff's checked side rely on it and do not check again.
     */
    public final class Sorted extends AbstractEncodedRows {
        private final AbstractEncodedRows rows;
        /** The rows when they are merged: their key prefixes are known already. */
        private final MergeStream merge;
        private final List<Path> files;
        private final int spilledRuns;
        private final long rowCount;
        private final RowCodec.Fields previousFields = new RowCodec.Fields();
        private byte[] previous = new byte[256];
        private long previousPrefix;
        private boolean hasPrevious;

        private Sorted(AbstractEncodedRows rows, List<Path> files, int spilledRuns, long rowCount) {
            this.rows = rows;
            this.merge = rows instanceof MergeStream stream ? stream : null;
            this.files = List.copyOf(files);
            this.spilledRuns = spilledRuns;
            this.rowCount = rowCount;
        }

        /** How many runs the input was spilled in; 0 when it fit the budget. */
        public int spilledRuns() {
            return spilledRuns;
        }

        public long rowCount() {
            return rowCount;
        }

        @Override
        protected boolean fetch() {
            if (!rows.advanceEncoded()) {
                return false;
            }
            byte[] b = rows.encodedArray();
            int off = rows.encodedOffset();
            int len = rows.encodedLength();
            RowCodec.Fields f = rows.encodedFields();
            long prefix = merge != null ? merge.prefix() : key.prefix(b, f);
            if (hasPrevious) {
                int c = key.prefixOrder(previousPrefix, prefix);
                if (c != -1) {
                    previousFields.scan(previous, 0, previous.length);
                    c = key.compareEncoded(previous, previousFields, key, b, f);
                }
                if (c == 0) {
                    throw new DuplicateKeyException(key.columnNames(), key.values(b, f), previousFields.line(), f.line());
                }
                if (c > 0) {
                    // Only a fault of the sort itself gets here; what follows trusts this order.
                    throw new IllegalStateException("Sorted rows are not in key order: line " + f.line()
                            + " follows line " + previousFields.line());
                }
            }
            if (previous.length < len) {
                previous = new byte[Math.max(len, previous.length * 2)];
            }
            System.arraycopy(b, off, previous, 0, len);
            previousPrefix = prefix;
            hasPrevious = true;
            array = b;
            offset = off;
            length = len;
            fields = f;
            return true;
        }

        @Override
        public void close() {
            end();
            try {
                rows.close();
            } finally {
                deleteFiles();
            }
        }

        /**
         * As {@link #close()}, the spill runs deleted on a thread of their own: for a caller whose result does not
         * depend on them being gone (a merge that ran to its end). Should that thread not take them, they are
         * deleted here.
         */
        public void closeInBackground() {
            end();
            try {
                rows.close();
            } finally {
                if (!files.isEmpty()) {
                    try {
                        CLEANUP.execute(this::deleteFiles);
                    } catch (RuntimeException | Error e) {
                        deleteFiles(); // rejected, or no thread to be had
                    }
                }
            }
        }

        private void deleteFiles() {
            files.forEach(ExternalSorter::deleteQuietly);
        }
    }

    /** Encoded rows in one growing array, indexed by key prefix and offset; sorted by index. */
    private static final class SortBuffer {
        private final RowKey key;
        private final long budget;
        private final RowCodec.Fields left = new RowCodec.Fields();
        private final RowCodec.Fields right = new RowCodec.Fields();
        private byte[] arena = new byte[64 * 1024];
        private int used;
        private long[] prefixes = new long[1024];
        private int[] offsets = new int[1025];
        private int[] order;
        /**
         * Scratch of {@link #sort}, kept from one spill to the next (the order handed out is one of the int arrays,
         * and is done with by then): allocated afresh, they were four large arrays per spill (see BufferSizes).
         */
        private long[] keys = new long[0];
        private long[] keys2 = keys;
        private int[] indexes = new int[0];
        private int[] indexes2 = indexes;
        private int count;
        private final boolean numericPrefix;
        private boolean unknownPrefixes;
        /** Keeps the early reads of {@link #writeSorted} from being optimized away. */
        private int sink;

        SortBuffer(RowKey key, long budget) {
            this(key, budget, false);
        }

        /** @param large whether the input is known to be large: the buffer then starts at its budget */
        SortBuffer(RowKey key, long budget, boolean large) {
            this.key = key;
            this.budget = budget;
            if (large) {
                int arenaBytes = arenaBytes(budget);
                SortMemory kept = SortMemory.take(arenaBytes);
                if (kept != null) {
                    arena = kept.arena;
                    prefixes = kept.prefixes;
                    offsets = kept.offsets;
                    keys = kept.keys;
                    keys2 = kept.keys2;
                    indexes = kept.indexes;
                    indexes2 = kept.indexes2;
                } else {
                    arena = new byte[arenaBytes];
                    int rows = (int) Math.min(1 << 24, Math.max(1024, budget / LARGE_ROW_GUESS));
                    prefixes = new long[rows];
                    offsets = new int[rows + 1];
                }
            }
            this.numericPrefix = key.columns().get(0).order() == KeyColumn.Order.NUMERIC;
        }

        void add(byte[] b, int off, int len, RowCodec.Fields fields) {
            long prefix = key.prefix(b, fields);
            if (used + len > arena.length) {
                // Doubling from small, for small inputs; past a few MB the input is large: straight to the budget,
                // rather than copying every row again at each doubling.
                long next = arena.length >= ARENA_JUMP ? budget + len : arena.length * 2L;
                long wanted = Math.max((long) used + len, Math.min(budget + len, next));
                if (wanted > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("Sort buffer beyond 2 GB; use a smaller budget");
                }
                arena = Arrays.copyOf(arena, (int) wanted);
            }
            if (count == prefixes.length) {
                prefixes = Arrays.copyOf(prefixes, count * 2);
                offsets = Arrays.copyOf(offsets, count * 2 + 1);
            }
            System.arraycopy(b, off, arena, used, len);
            prefixes[count] = prefix;
            unknownPrefixes |= numericPrefix && prefix == 0;
            offsets[count] = used;
            used += len;
            count++;
            offsets[count] = used;
        }

        long bytes() {
            return used + (long) count * INDEX_BYTES;
        }

        int count() {
            return count;
        }

        void clear() {
            used = 0;
            count = 0;
            unknownPrefixes = false;
            order = null;
        }

        /**
         * Hands the buffer's arrays to {@link SortMemory} for the next sort of this size; the buffer is empty and
         * must not be used afterwards.
         */
        void keepMemory() {
            if (arena.length == arenaBytes(budget)) {
                // not one grown past the budget by a long row: no later sort would take it
                SortMemory.keep(new SortMemory(arena, prefixes, offsets, keys, keys2, indexes, indexes2));
            }
            clear();
            arena = new byte[0];
            prefixes = new long[0];
            offsets = new int[1];
            keys = keys2 = new long[0];
            indexes = indexes2 = new int[0];
        }

        /** The arena of a large buffer: its budget, and room for the row that takes it over. */
        private static int arenaBytes(long budget) {
            return (int) Math.min(Integer.MAX_VALUE - 16, budget + ARENA_SLACK);
        }

        /** Makes the scratch arrays hold at least {@code n} rows: as many as the index can, so they grow once. */
        private void reserveScratch(int n) {
            if (indexes.length < n) {
                int size = Math.max(n, prefixes.length);
                indexes = new int[size];
                indexes2 = new int[size];
            }
            if (!unknownPrefixes && keys.length < n) {
                int size = Math.max(n, prefixes.length);
                keys = new long[size];
                keys2 = new long[size];
            }
        }

        /**
         * Stable: equal keys keep their input order. When every prefix is meaningful (no numeric
         * key that is not a plain integer), an LSD radix sort on the prefixes, skipping bytes all
         * rows share, then a comparison sort of each run of equal prefixes the prefix cannot decide.
         */
        void sort() {
            if (unknownPrefixes) {
                comparisonSort();
                return;
            }
            int n = count;
            reserveScratch(n);
            long[] k = keys;
            System.arraycopy(prefixes, 0, k, 0, n);
            int[] index = indexes;
            for (int i = 0; i < n; i++) {
                index[i] = i;
            }
            long[] k2 = keys2;
            int[] index2 = indexes2;
            int[] counts = new int[257];
            for (int shift = 0; shift < 64; shift += 8) {
                Arrays.fill(counts, 0);
                for (int i = 0; i < n; i++) {
                    counts[(int) ((k[i] >>> shift) & 0xFF) + 1]++;
                }
                boolean trivial = false;
                for (int b = 1; b <= 256; b++) {
                    if (counts[b] == n) {
                        trivial = true;
                        break;
                    }
                }
                if (trivial) {
                    continue;
                }
                for (int b = 1; b <= 256; b++) {
                    counts[b] += counts[b - 1];
                }
                for (int i = 0; i < n; i++) {
                    int bucket = (int) ((k[i] >>> shift) & 0xFF);
                    int to = counts[bucket]++;
                    k2[to] = k[i];
                    index2[to] = index[i];
                }
                long[] swapK = k;
                k = k2;
                k2 = swapK;
                int[] swapI = index;
                index = index2;
                index2 = swapI;
            }
            for (int i = 0; i < n; ) {
                int j = i + 1;
                while (j < n && k[j] == k[i]) {
                    j++;
                }
                if (j - i > 1 && key.prefixOrder(k[i], k[i]) == RowKey.UNDECIDED) {
                    mergeSort(index, i, j, index2);
                }
                i = j;
            }
            order = index;
        }

        /** Sorts {@code a[from, to)} with the full comparison; {@code tmp} is scratch of the same size. */
        private void mergeSort(int[] a, int from, int to, int[] tmp) {
            if (to - from <= 32) {
                for (int i = from + 1; i < to; i++) {
                    int x = a[i];
                    int j = i - 1;
                    while (j >= from && compare(a[j], x) > 0) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = x;
                }
                return;
            }
            int mid = (from + to) >>> 1;
            mergeSort(a, from, mid, tmp);
            mergeSort(a, mid, to, tmp);
            if (compare(a[mid - 1], a[mid]) <= 0) {
                return;
            }
            System.arraycopy(a, from, tmp, from, to - from);
            int i = from;
            int j = mid;
            int k = from;
            while (i < mid && j < to) {
                a[k++] = compare(tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
            }
            while (i < mid) {
                a[k++] = tmp[i++];
            }
            while (j < to) {
                a[k++] = tmp[j++];
            }
        }

        private void comparisonSort() {
            int n = count;
            reserveScratch(n);
            int[] a = indexes;
            for (int i = 0; i < n; i++) {
                a[i] = i;
            }
            int[] tmp = indexes2;
            // Bottom-up merge sort after insertion-sorting blocks of 32.
            final int block = 32;
            for (int lo = 0; lo < n; lo += block) {
                int hi = Math.min(n, lo + block);
                for (int i = lo + 1; i < hi; i++) {
                    int x = a[i];
                    int j = i - 1;
                    while (j >= lo && compare(a[j], x) > 0) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = x;
                }
            }
            for (int width = block; width < n; width *= 2) {
                for (int lo = 0; lo < n; lo += 2 * width) {
                    int mid = Math.min(n, lo + width);
                    int hi = Math.min(n, lo + 2 * width);
                    if (mid >= hi || compare(a[mid - 1], a[mid]) <= 0) {
                        System.arraycopy(a, lo, tmp, lo, hi - lo);
                        continue;
                    }
                    int i = lo;
                    int j = mid;
                    int k = lo;
                    while (i < mid && j < hi) {
                        tmp[k++] = compare(a[j], a[i]) < 0 ? a[j++] : a[i++];
                    }
                    while (i < mid) {
                        tmp[k++] = a[i++];
                    }
                    while (j < hi) {
                        tmp[k++] = a[j++];
                    }
                }
                int[] swap = a;
                a = tmp;
                tmp = swap;
            }
            order = a;
        }

        private int compare(int x, int y) {
            int c = key.prefixOrder(prefixes[x], prefixes[y]);
            if (c == RowKey.UNDECIDED) {
                left.scan(arena, offsets[x], offsets[x + 1]);
                right.scan(arena, offsets[y], offsets[y + 1]);
                c = key.compareEncoded(arena, left, key, arena, right);
            }
            return c != 0 ? c : Integer.compare(x, y);
        }

        /** Writes the sorted rows {@code [first, end)} (positions in key order); returns their bytes. */
        long writeSorted(RecordOutput out, int first, int end) throws IOException {
            // The rows are picked out of the arena in key order, each one a cache miss. The rows of the next batch are
            // read early (their first and last bytes, which bring in their lines), all at once: independent loads, so
            // their misses overlap one another and the copying of the batch before, instead of following each other.
            int touched = 0;
            int n = end;
            int[] rows = order;
            int[] at = offsets;
            byte[] a = arena;
            long bytes = 0;
            for (int i = first; i < Math.min(first + TOUCH_BATCH, n); i++) {
                int row = rows[i];
                touched += a[at[row]] + a[at[row + 1] - 1];
            }
            for (int from = first; from < n; from += TOUCH_BATCH) {
                int to = Math.min(n, from + TOUCH_BATCH);
                int ahead = Math.min(n, to + TOUCH_BATCH);
                for (int i = to; i < ahead; i++) {
                    int row = rows[i];
                    touched += a[at[row]] + a[at[row + 1] - 1];
                }
                for (int i = from; i < to; i++) {
                    int row = rows[i];
                    int length = at[row + 1] - at[row];
                    out.write(a, at[row], length);
                    bytes += length;
                }
            }
            sink = touched;
            return bytes;
        }

        /** Bytes of the sorted rows {@code [first, end)}. */
        long bytes(int first, int end) {
            long bytes = 0;
            for (int i = first; i < end; i++) {
                bytes += offsets[order[i] + 1] - offsets[order[i]];
            }
            return bytes;
        }

        /** Once sorted: how many rows, in key order, sort before {@code boundary}. */
        int countBefore(KeyBoundary boundary) {
            int low = 0;
            int high = count;
            while (low < high) {
                int mid = (low + high) >>> 1;
                int row = order[mid];
                left.scan(arena, offsets[row], offsets[row + 1]);
                if (boundary.before(arena, left)) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        /** The sorted records, for a merge; closing lets the arena go. */
        MergeSource source() {
            return source(0, count, true);
        }

        /**
         * The sorted records {@code [first, end)}, for a merge; with {@code release}, closing lets the arena go (not
         * for a range, whose buffer another merge may still read).
         */
        MergeSource source(int first, int end, boolean release) {
            return new MergeSource() {
                private final RowCodec.Fields scanned = new RowCodec.Fields();
                private int next = first;
                private int offset;
                private int length;

                @Override
                public boolean next() {
                    if (next >= end) {
                        return false;
                    }
                    int row = order[next++];
                    offset = offsets[row];
                    length = offsets[row + 1] - offset;
                    scanned.scan(arena, offset, offset + length);
                    return true;
                }

                @Override
                public byte[] array() {
                    return arena;
                }

                @Override
                public int offset() {
                    return offset;
                }

                @Override
                public int length() {
                    return length;
                }

                @Override
                public RowCodec.Fields fields() {
                    return scanned;
                }

                @Override
                public void close() {
                    if (release) {
                        clear();
                        arena = new byte[0];
                    }
                }
            };
        }

        AbstractEncodedRows stream() {
            return new AbstractEncodedRows() {
                private final RowCodec.Fields scanned = new RowCodec.Fields();
                private int next;

                @Override
                protected boolean fetch() {
                    if (next >= count) {
                        return false;
                    }
                    int row = order[next++];
                    array = arena;
                    offset = offsets[row];
                    length = offsets[row + 1] - offset;
                    scanned.scan(arena, offset, offset + length);
                    fields = scanned;
                    return true;
                }

                @Override
                public void close() {
                    end();
                    clear(); // let the buffer be collected even if the caller keeps the iterator
                    arena = new byte[0];
                }
            };
        }
    }

    /** One sorted input of the merge: a run file, or a buffer still in memory. */
    private interface MergeSource extends java.io.Closeable {
        /** Moves to the next record; false after the last. */
        boolean next() throws IOException;

        byte[] array();

        int offset();

        int length();

        RowCodec.Fields fields();
    }

    /** A run file's records, read through a buffer of its own. */
    private static final class FileSource implements MergeSource {
        private final RecordInput input;

        FileSource(Path run, int bufferBytes) throws IOException {
            this.input = new RecordInput(Files.newInputStream(run), run.toString(), bufferBytes);
        }

        @Override
        public boolean next() throws IOException {
            return input.next();
        }

        @Override
        public byte[] array() {
            return input.array();
        }

        @Override
        public int offset() {
            return input.recordOffset;
        }

        @Override
        public int length() {
            return input.recordLength;
        }

        @Override
        public RowCodec.Fields fields() {
            return input.fields();
        }

        @Override
        public void close() throws IOException {
            input.close();
        }
    }

    /** K-way merge of run files over a binary heap; a tie goes to the lower run index, which keeps the sort stable. */
    private final class MergeStream extends AbstractEncodedRows {
        private final List<MergeSource> inputs = new ArrayList<>();
        private final long[] prefixes;
        private final int[] heap;
        private int size;
        private int top = -1;

        /**
         * @param runs in input order, each a run file ({@link Path}), a sorted {@link SortBuffer} or a
         *             {@link BufferRange}
         * @param bufferBytes the read buffer of each run file
         */
        MergeStream(List<?> runs, int bufferBytes) throws IOException {
            prefixes = new long[runs.size()];
            heap = new int[runs.size()];
            try {
                for (Object run : runs) {
                    if (run instanceof SortBuffer buffer) {
                        inputs.add(buffer.source());
                    } else if (run instanceof BufferRange range) {
                        inputs.add(range.buffer().source(range.first(), range.end(), false));
                    } else {
                        inputs.add(new FileSource((Path) run, bufferBytes));
                    }
                }
                for (int i = 0; i < inputs.size(); i++) {
                    if (advance(i)) {
                        heap[size++] = i;
                        siftUp(size - 1);
                    }
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        /** The key prefix of the current record, as {@link RowKey#prefix} computed it for the heap. */
        long prefix() {
            return prefixes[top];
        }

        private boolean advance(int run) throws IOException {
            MergeSource input = inputs.get(run);
            if (!input.next()) {
                return false;
            }
            prefixes[run] = key.prefix(input.array(), input.fields());
            return true;
        }

        @Override
        protected boolean fetch() {
            try {
                if (top >= 0) {
                    if (advance(top)) {
                        siftDown(0);
                    } else {
                        heap[0] = heap[--size];
                        if (size > 0) {
                            siftDown(0);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (size == 0) {
                top = -1;
                return false;
            }
            top = heap[0];
            MergeSource input = inputs.get(top);
            array = input.array();
            offset = input.offset();
            length = input.length();
            fields = input.fields();
            return true;
        }

        private int compare(int x, int y) {
            int c = key.prefixOrder(prefixes[x], prefixes[y]);
            if (c == RowKey.UNDECIDED) {
                MergeSource a = inputs.get(x);
                MergeSource b = inputs.get(y);
                c = key.compareEncoded(a.array(), a.fields(), key, b.array(), b.fields());
            }
            return c != 0 ? c : Integer.compare(x, y);
        }

        private void siftUp(int i) {
            int x = heap[i];
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (compare(heap[parent], x) <= 0) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = x;
        }

        private void siftDown(int i) {
            int x = heap[i];
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && compare(heap[right], heap[child]) < 0) {
                    child = right;
                }
                if (compare(x, heap[child]) <= 0) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = x;
        }

        @Override
        public void close() {
            end();
            size = 0;
            for (MergeSource input : inputs) {
                try {
                    input.close();
                } catch (IOException e) {
                    log.warn("Could not close sort run: {}", e.toString());
                }
            }
        }
    }
}
