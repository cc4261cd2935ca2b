package io.onramp.connect.sink.snapshot.store;

import io.onramp.connect.core.sort.ExternalSorter;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowCodec;
import io.onramp.connect.core.sort.RowKey;
import io.onramp.connect.core.sort.RowLayout;
import io.onramp.connect.core.sort.SortedRunFile;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest state per key of one topic, on disk, with a heap bound that does not grow with the number of keys.
 *
 * <p>Two files per generation: {@code snapshot-<g>.run}, the state at the last export as a key-sorted
 * {@link SortedRunFile} of (key, value), and {@code changes-<g>.log}, every change received since, appended in
 * arrival order as {@link RowCodec} rows (key, seq, value; a null value is a delete). An export sorts the log by
 * (key, seq) with core's {@link ExternalSorter}, keeps the last change of each key and merge-joins that with the
 * previous run into the next generation's run, streaming every live row to the export writer on the way.
 *
 * <p>{@link StoreCheckpoint} says what is durable. {@link #sync()} fsyncs the log and then writes the checkpoint;
 * only offsets it covers are ever reported as committed. A new generation becomes current only when its
 * checkpoint is written; a crash before that leaves the previous generation, whose log is merged again.
 */
public final class StateStore implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(StateStore.class);

    static final RowLayout LOG_LAYOUT = RowLayout.of("key", "seq", "value");
    static final RowLayout SNAPSHOT_LAYOUT = RowLayout.of("key", "value");
    static final List<KeyColumn> LOG_ORDER = List.of(KeyColumn.text("key"), KeyColumn.numeric("seq"));
    static final List<KeyColumn> SNAPSHOT_ORDER = List.of(KeyColumn.text("key"));
    private static final int LOG_BUFFER = 256 * 1024;

    static final String LOCK = "lock";
    private static final long LOCK_WAIT_MS = 30_000;

    private final Path dir;
    private final long sortBudgetBytes;
    private FileChannel lockChannel;
    private StoreCheckpoint checkpoint;
    private FileOutputStream logFile;
    private BufferedOutputStream logBuffer;
    private RowCodec.Writer logWriter;
    private long logRows;
    private final TreeMap<Integer, Long> nextOffsets;
    private final LinkedHashSet<String> columns;
    private boolean dirty;

    private StateStore(Path dir, long sortBudgetBytes, StoreCheckpoint checkpoint) throws IOException {
        this.dir = dir;
        this.sortBudgetBytes = sortBudgetBytes;
        this.checkpoint = checkpoint;
        this.nextOffsets = new TreeMap<>(checkpoint.nextOffsets());
        this.columns = new LinkedHashSet<>(checkpoint.columns());
        this.logRows = checkpoint.logRows();
        openLog(checkpoint.generation(), checkpoint.logBytes());
    }

    /**
     * Opens the store in {@code dir} (created when missing) as its last checkpoint left it: the change log is cut
     * back to the checkpointed length and files of an unfinished generation are removed.
     */
    public static StateStore open(Path dir, long sortBudgetBytes) {
        FileChannel lock = null;
        try {
            Files.createDirectories(dir);
            lock = lock(dir);
            var saved = StoreCheckpoint.read(dir);
            var checkpoint = saved != null ? saved : StoreCheckpoint.empty();
            removeStrayFiles(dir, checkpoint.generation());
            if (saved == null) {
                checkpoint.write(dir);
            }
            var store = new StateStore(dir, sortBudgetBytes, checkpoint);
            store.lockChannel = lock;
            log.info("Export state in {} opened at generation {}: {} rows in the last snapshot, {} changes since,"
                    + " next offsets {}", dir, checkpoint.generation(), checkpoint.snapshotRows(), checkpoint.logRows(),
                    checkpoint.nextOffsets());
            return store;
        } catch (IOException | RuntimeException e) {
            closeQuietly(lock);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException("Cannot open export state in " + dir, (IOException) e);
        }
    }

    /**
     * One store instance per directory: a task that is still shutting down (in this JVM or another worker on
     * shared storage) must let go before a new one appends. Waits a while for that, then gives up with a sentence.
     */
    private static FileChannel lock(Path dir) throws IOException {
        var channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MS;
        while (true) {
            try {
                if (channel.tryLock() != null) {
                    return channel;
                }
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // held by another task instance in this JVM
            }
            if (System.currentTimeMillis() > deadline) {
                channel.close();
                throw new IllegalStateException("The export state in " + dir + " is in use by another task for more"
                        + " than " + LOCK_WAIT_MS / 1000 + " s; two connectors must not share one export.state.dir"
                        + " and topic");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                channel.close();
                throw new IllegalStateException("Interrupted while waiting for the export state lock in " + dir);
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // releasing the lock either way
            }
        }
    }

    private static void removeStrayFiles(Path dir, long generation) throws IOException {
        var keep = List.of(snapshotName(generation), logName(generation), StoreCheckpoint.FILE, LOCK);
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!keep.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private void openLog(long generation, long validBytes) throws IOException {
        Path path = dir.resolve(logName(generation));
        try (var channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (channel.size() < validBytes) {
                throw new IOException(path + " is shorter (" + channel.size() + " bytes) than its checkpoint says ("
                        + validBytes + "); the export state is damaged");
            }
            channel.truncate(validBytes); // drops changes written after the last checkpoint: they come again
            channel.force(true);
        }
        logFile = new FileOutputStream(path.toFile(), true);
        logBuffer = new BufferedOutputStream(logFile, LOG_BUFFER);
        logWriter = new RowCodec.Writer(logBuffer);
    }

    static String snapshotName(long generation) {
        return "snapshot-" + generation + ".run";
    }

    static String logName(long generation) {
        return "changes-" + generation + ".log";
    }

    /**
     * The next offset of {@code partition} that the store does not hold, durable or not; 0 when it holds none.
     * Records below it were appended already and must not be appended again.
     */
    public long nextOffset(int partition) {
        return nextOffsets.getOrDefault(partition, 0L);
    }

    /** The next offset per partition that {@link #sync()} made durable: safe to commit. */
    public SortedMap<Integer, Long> durableOffsets() {
        return checkpoint.nextOffsets();
    }

    /** Column names in the order they were first seen, durable or not. */
    public List<String> columns() {
        return List.copyOf(columns);
    }

    /** Adds column names not seen before, in the given order. */
    public void addColumns(Iterable<String> names) {
        for (String name : names) {
            if (columns.add(name)) {
                dirty = true;
            }
        }
    }

    /** Scheduled time of the last finished export, or null. */
    public String lastExport() {
        return checkpoint.lastExport();
    }

    public long snapshotRows() {
        return checkpoint.snapshotRows();
    }

    /**
     * Records the change at {@code offset} of {@code partition}: {@code value} is the row's JSON, or null when
     * the key was deleted. Not durable until {@link #sync()}.
     */
    public void append(int partition, long offset, String key, String value) {
        if (key == null) {
            throw new IllegalArgumentException("A change needs a key");
        }
        try {
            logWriter.write(Row.of(logRows, key, Long.toString(logRows), value));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the export change log in " + dir, e);
        }
        logRows++;
        nextOffsets.merge(partition, offset + 1, Math::max);
        dirty = true;
    }

    /** Marks the partition as read up to {@code nextOffset} without a change, e.g. for a skipped record. */
    public void skip(int partition, long nextOffset) {
        nextOffsets.merge(partition, nextOffset, Math::max);
        dirty = true;
    }

    /** Makes every appended change durable and returns the offsets now safe to commit. */
    public SortedMap<Integer, Long> sync() {
        if (!dirty) {
            return checkpoint.nextOffsets();
        }
        try {
            logBuffer.flush();
            logFile.getChannel().force(false);
            long bytes = logFile.getChannel().position();
            checkpoint = new StoreCheckpoint(checkpoint.generation(), bytes, logRows, nextOffsets,
                    List.copyOf(columns), checkpoint.lastExport(), checkpoint.snapshotRows());
            checkpoint.write(dir);
            dirty = false;
            return checkpoint.nextOffsets();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot sync the export change log in " + dir, e);
        }
    }

    /**
     * First phase of an export: syncs, then merges the changes since the last export into the previous snapshot,
     * handing every live (key, value) to {@code rows} in key order, and prepares the next generation's run. Nothing
     * becomes current until {@link NextSnapshot#commit}; {@link NextSnapshot#close} without commit discards it.
     */
    public NextSnapshot merge(RowSink rows) {
        sync();
        long generation = checkpoint.generation();
        Path next = dir.resolve(snapshotName(generation + 1));
        var writer = SortedRunFile.create(next, SNAPSHOT_LAYOUT, SNAPSHOT_ORDER);
        var sorter = new ExternalSorter(RowKey.of(LOG_LAYOUT, LOG_ORDER), sortBudgetBytes, dir);
        Path previous = dir.resolve(snapshotName(generation));
        long[] counts = new long[4]; // live rows, upserts, deletes, unchanged
        try (var sorted = sorter.sort(logRows(generation));
             var old = Files.exists(previous) ? SortedRunFile.open(previous) : null) {
            var latest = new LatestPerKey(sorted);
            Row change = latest.next();
            Row kept = old != null && old.hasNext() ? old.next() : null;
            while (change != null || kept != null) {
                int c = change == null ? 1 : kept == null ? -1 : change.get(0).compareTo(kept.get(0));
                if (c <= 0) {
                    String value = change.get(2);
                    if (value != null) {
                        emit(writer, rows, change.get(0), value, counts);
                        counts[1]++;
                    } else if (c == 0) {
                        counts[2]++;
                    }
                    change = latest.next();
                    if (c == 0) {
                        kept = old.hasNext() ? old.next() : null;
                    }
                } else {
                    emit(writer, rows, kept.get(0), kept.get(1), counts);
                    counts[3]++;
                    kept = old.hasNext() ? old.next() : null;
                }
            }
        } catch (IOException e) {
            writer.close();
            throw new UncheckedIOException("Cannot merge export state in " + dir, e);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        return new NextSnapshot(writer, generation + 1, counts[0], counts[1], counts[2], counts[3]);
    }

    private static void emit(SortedRunFile.Writer writer, RowSink rows, String key, String value, long[] counts)
            throws IOException {
        writer.append(Row.of(counts[0], key, value));
        rows.accept(key, value);
        counts[0]++;
    }

    /** The first {@code logBytes} of the log as rows; the END marker the open log lacks is added at the end. */
    private Iterator<Row> logRows(long generation) throws IOException {
        Path path = dir.resolve(logName(generation));
        InputStream bounded = new BoundedInputStream(Files.newInputStream(path), checkpoint.logBytes());
        var withEnd = new SequenceInputStream(bounded, new ByteArrayInputStream(new byte[] {0}));
        var reader = new RowCodec.Reader(new java.io.BufferedInputStream(withEnd, LOG_BUFFER), path.toString());
        return new Iterator<>() {
            private Row next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    try {
                        next = reader.read();
                        if (next == null) {
                            done = true;
                            reader.close();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row row = next;
                next = null;
                return row;
            }
        };
    }

    /** Receives the rows of a snapshot in key order. */
    @FunctionalInterface
    public interface RowSink {
        void accept(String key, String value) throws IOException;
    }

    /** The next generation, merged but not yet current. */
    public final class NextSnapshot implements Closeable {
        private final SortedRunFile.Writer writer;
        private final long generation;
        private final long rows;
        private final long upserts;
        private final long deletes;
        private final long unchanged;
        private boolean committed;

        private NextSnapshot(SortedRunFile.Writer writer, long generation, long rows, long upserts, long deletes,
                             long unchanged) {
            this.writer = writer;
            this.generation = generation;
            this.rows = rows;
            this.upserts = upserts;
            this.deletes = deletes;
            this.unchanged = unchanged;
        }

        public long rows() {
            return rows;
        }

        /** Keys written or rewritten since the last export (their last change was not a delete). */
        public long upserts() {
            return upserts;
        }

        /** Keys of the previous snapshot removed by a delete. */
        public long deletes() {
            return deletes;
        }

        public long unchanged() {
            return unchanged;
        }

        /** The offsets the snapshot covers: every change below them is in it. */
        public SortedMap<Integer, Long> offsets() {
            return checkpoint.nextOffsets();
        }

        /** Makes this generation current: its run in place, an empty log, then the checkpoint; old files go. */
        public void commit(String exportTime) {
            writer.commit();
            long old = checkpoint.generation();
            try {
                logBuffer.close();
                openLog(generation, 0);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the export change log in " + dir, e);
            }
            logRows = 0;
            checkpoint = new StoreCheckpoint(generation, 0, 0, nextOffsets, List.copyOf(columns), exportTime, rows);
            checkpoint.write(dir);
            dirty = false;
            committed = true;
            for (String name : List.of(snapshotName(old), logName(old))) {
                try {
                    Files.deleteIfExists(dir.resolve(name));
                } catch (IOException e) {
                    log.warn("Could not delete old export state file {}: {}", dir.resolve(name), e.toString());
                }
            }
        }

        @Override
        public void close() {
            if (!committed) {
                writer.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            sync();
        } finally {
            try {
                logBuffer.close(); // not logWriter.close(): the log stays open-ended, its length is in the checkpoint
            } catch (IOException e) {
                log.warn("Could not close the export change log in {}: {}", dir, e.toString());
            } finally {
                closeQuietly(lockChannel);
            }
        }
    }

    /**
     * For tests that simulate a crash inside one JVM: the directory lock goes as it would with the process;
     * nothing is flushed or synced.
     */
    public void releaseLockAsACrashWould() {
        closeQuietly(lockChannel);
    }

    /** Rows of a (key, seq)-sorted log, reduced to the last change of each key. */
    private static final class LatestPerKey {
        private final Iterator<Row> sorted;
        private Row pending;

        LatestPerKey(Iterator<Row> sorted) {
            this.sorted = sorted;
            this.pending = sorted.hasNext() ? sorted.next() : null;
        }

        Row next() {
            Row last = pending;
            if (last == null) {
                return null;
            }
            pending = null;
            while (sorted.hasNext()) {
                Row row = sorted.next();
                if (!row.get(0).equals(last.get(0))) {
                    pending = row;
                    break;
                }
                last = row;
            }
            return last;
        }
    }

    /** Reads at most {@code limit} bytes of {@code in}. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
