package io.onramp.connect.core.sort;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts rows by key within a fixed heap budget, so the input is bounded by disk, not heap.
 *
 * <p>Rows are buffered until their estimated size ({@link Row#estimatedBytes()}) exceeds the
 * budget; the buffer is then sorted and spilled as a run ({@link RowCodec}) to a temp file.
 * Runs are merged k-way with a priority queue. The fan-in is capped so the merge's read
 * buffers also fit the budget; more runs than that are merged in extra passes first.
 *
 * <p>The sort is stable (runs keep input order, ties in the merge go to the earlier run), so
 * when two rows share a key the one met first in the input comes first, and the
 * {@link DuplicateKeyException} raised on the output names the lines in input order.
 */
public final class ExternalSorter {

    private static final Logger log = LoggerFactory.getLogger(ExternalSorter.class);
    private static final int WRITE_BUFFER = 64 * 1024;
    private static final int MAX_FAN_IN = 512;

    private final RowKey key;
    private final long budgetBytes;
    private final Path tempDir;
    private final int readBuffer;
    private final int fanIn;

    /**
     * @param key orders the rows
     * @param budgetBytes heap the sort may use for buffered rows, and separately for merge buffers
     * @param tempDir where spill runs go; it should be on a disk with room for the whole input
     */
    public ExternalSorter(RowKey key, long budgetBytes, Path tempDir) {
        if (budgetBytes < 4096) {
            throw new IllegalArgumentException("Sort memory budget must be at least 4096 bytes, was " + budgetBytes);
        }
        this.key = Objects.requireNonNull(key, "key");
        this.budgetBytes = budgetBytes;
        this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
        this.readBuffer = (int) Math.max(4096, Math.min(64 * 1024, budgetBytes / 64));
        this.fanIn = (int) Math.max(2, Math.min(MAX_FAN_IN, budgetBytes / readBuffer));
    }

    /**
     * Consumes {@code input} and returns its rows in key order. The caller must close the result,
     * which deletes any spill files. Duplicate keys surface from the result's {@code next()}.
     *
     * @throws UncheckedIOException when spilling fails
     */
    public Sorted sort(Iterator<Row> input) {
        var runs = new ArrayList<Path>();
        try {
            var buffer = new ArrayList<Row>();
            long bytes = 0;
            long rows = 0;
            while (input.hasNext()) {
                Row row = input.next();
                buffer.add(row);
                rows++;
                bytes += row.estimatedBytes();
                if (bytes > budgetBytes) {
                    runs.add(spill(buffer));
                    buffer.clear();
                    bytes = 0;
                }
            }
            if (runs.isEmpty()) {
                sortInPlace(buffer);
                return new Sorted(new BufferIterator(buffer), List.of(), 0, rows);
            }
            if (!buffer.isEmpty()) {
                runs.add(spill(buffer));
            }
            int spilled = runs.size();
            while (runs.size() > fanIn) {
                runs = mergePass(runs);
            }
            log.debug("Sorted {} rows: {} runs spilled to {}, final merge of {}", rows, spilled, tempDir, runs.size());
            return new Sorted(new MergeIterator(runs), runs, spilled, rows);
        } catch (IOException e) {
            runs.forEach(ExternalSorter::deleteQuietly);
            throw new UncheckedIOException("Sort spill to " + tempDir + " failed", e);
        } catch (RuntimeException | Error e) {
            runs.forEach(ExternalSorter::deleteQuietly);
            throw e;
        }
    }

    private Path spill(List<Row> buffer) throws IOException {
        sortInPlace(buffer);
        return writeRun(buffer.iterator());
    }

    /** Stable sort (TimSort) on keys extracted once per row, then written back in order. */
    private void sortInPlace(List<Row> buffer) {
        var entries = new Keyed[buffer.size()];
        for (int i = 0; i < entries.length; i++) {
            Row row = buffer.get(i);
            entries[i] = new Keyed(key.extract(row), row);
        }
        java.util.Arrays.sort(entries, (a, b) -> key.compareExtracted(a.key, b.key));
        for (int i = 0; i < entries.length; i++) {
            buffer.set(i, entries[i].row);
        }
    }

    private record Keyed(Object[] key, Row row) {
    }

    private Path writeRun(Iterator<Row> rows) throws IOException {
        Path file = Files.createTempFile(tempDir, "onramp-sort-", ".run");
        try (var writer = new RowCodec.Writer(new BufferedOutputStream(Files.newOutputStream(file), WRITE_BUFFER))) {
            while (rows.hasNext()) {
                writer.write(rows.next());
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        return file;
    }

    /** Merges consecutive groups of runs (consecutive keeps the sort stable) into fewer, longer runs. */
    private ArrayList<Path> mergePass(List<Path> runs) throws IOException {
        var merged = new ArrayList<Path>();
        try {
            for (int from = 0; from < runs.size(); from += fanIn) {
                var group = runs.subList(from, Math.min(runs.size(), from + fanIn));
                try (var iterator = new MergeIterator(group)) {
                    merged.add(writeRun(iterator));
                }
                group.forEach(ExternalSorter::deleteQuietly);
            }
        } catch (IOException | RuntimeException e) {
            merged.forEach(ExternalSorter::deleteQuietly); // the caller deletes the inputs
            throw e;
        }
        return merged;
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete sort spill file {}: {}", file, e.toString());
        }
    }

    /** The sorted output; checks adjacent keys so duplicates are reported, never passed on. */
    public final class Sorted implements CloseableIterator<Row> {
        private final CloseableIterator<Row> rows;
        private final List<Path> files;
        private final int spilledRuns;
        private final long rowCount;
        private Row previous;

        private Sorted(CloseableIterator<Row> rows, List<Path> files, int spilledRuns, long rowCount) {
            this.rows = rows;
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
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            Row row = rows.next();
            if (previous != null && key.compare(previous, row) == 0) {
                throw new DuplicateKeyException(key.columnNames(), key.values(row), previous.lineNumber(), row.lineNumber());
            }
            previous = row;
            return row;
        }

        @Override
        public void close() {
            try {
                rows.close();
            } finally {
                files.forEach(ExternalSorter::deleteQuietly);
            }
        }
    }

    private static final class BufferIterator implements CloseableIterator<Row> {
        private List<Row> rows;
        private int next;

        BufferIterator(List<Row> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return next < rows.size();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return rows.get(next++);
        }

        @Override
        public void close() {
            rows = List.of(); // let the buffer be collected even if the caller keeps the iterator
            next = 0;
        }
    }

    /** K-way merge of run files; a tie goes to the lower run index, which keeps the sort stable. */
    private final class MergeIterator implements CloseableIterator<Row> {
        private final PriorityQueue<Cursor> queue;
        private final List<Cursor> cursors = new ArrayList<>();

        MergeIterator(List<Path> runs) throws IOException {
            queue = new PriorityQueue<>(Math.max(1, runs.size()), (a, b) -> {
                int c = key.compareExtracted(a.currentKey, b.currentKey);
                return c != 0 ? c : Integer.compare(a.index, b.index);
            });
            try {
                for (Path run : runs) {
                    var in = new BufferedInputStream(Files.newInputStream(run), readBuffer);
                    var cursor = new Cursor(cursors.size(), new RowCodec.Reader(in, run.toString()));
                    cursors.add(cursor);
                    if (cursor.advance()) {
                        queue.add(cursor);
                    }
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public boolean hasNext() {
            return !queue.isEmpty();
        }

        @Override
        public Row next() {
            Cursor cursor = queue.poll();
            if (cursor == null) {
                throw new NoSuchElementException();
            }
            Row row = cursor.current;
            try {
                if (cursor.advance()) {
                    queue.add(cursor);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return row;
        }

        @Override
        public void close() {
            queue.clear();
            for (Cursor cursor : cursors) {
                try {
                    cursor.reader.close();
                } catch (IOException e) {
                    log.warn("Could not close sort run: {}", e.toString());
                }
            }
        }
    }

    /** One run being merged; its current row's key is extracted once, not on every heap compare. */
    private final class Cursor {
        final int index;
        final RowCodec.Reader reader;
        Row current;
        Object[] currentKey;

        Cursor(int index, RowCodec.Reader reader) {
            this.index = index;
            this.reader = reader;
        }

        boolean advance() throws IOException {
            current = reader.read();
            currentKey = current == null ? null : key.extract(current);
            return current != null;
        }
    }
}
