package io.onramp.connect.core.sort;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A whole snapshot, key-sorted, in one file: what the file source keeps of the previous snapshot
 * so the next one can be diffed against it, on any worker, after any restart.
 *
 * <pre>
 * file    := MAGIC("ONRSRUN1", 8 bytes ASCII) header rows
 * header  := int(columnCount) utf(name){columnCount} int(keyCount) (utf(keyName) byte(order)){keyCount}
 * rows    := the {@link RowCodec} stream, ending with its END marker
 * index   := long(offset){count} int(count) INDEX_MAGIC("ONRSIDX1")   (optional)
 * </pre>
 * ({@code int}, {@code long} and {@code utf} are {@link DataOutputStream}'s big-endian forms and modified UTF-8.)
 * The header records the layout and key so a reader never diffs against a file sorted another way. The index,
 * after the END marker where readers that do not know it never look, gives where a row starts about every
 * {@link #INDEX_EVERY_BYTES}: the next diff reads the file in two halves, from its start and from the middle.
 *
 * <p>A file is written beside its target and moved into place atomically after an fsync, so a
 * crash leaves either the old file or the new one, never half of one.
 */
public final class SortedRunFile {

    private static final byte[] MAGIC = "ONRSRUN1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] INDEX_MAGIC = "ONRSIDX1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final long INDEX_EVERY_BYTES = 1L << 20;
    private static final int BUFFER = BufferSizes.LARGEST;
    /** Written bytes between two syncs in the background, so that commit's own sync finds little left to do. */
    private static final long SYNC_EVERY_BYTES = 16L << 20;
    /** Runs those syncs: they wait on the disk, not on a core. Threads that idle a minute end. */
    private static final java.util.concurrent.ExecutorService SYNCS = new java.util.concurrent.ThreadPoolExecutor(0,
            Integer.MAX_VALUE, 60, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
            task -> {
                var thread = new Thread(task, "onramp-run-file-sync");
                thread.setDaemon(true);
                return thread;
            });

    private SortedRunFile() {
    }

    /** Writes all of {@code rows} (which must be key-sorted) to {@code file}; returns the row count. */
    public static long write(Path file, RowLayout layout, List<KeyColumn> key, Iterator<Row> rows) {
        try (var writer = create(file, layout, key)) {
            while (rows.hasNext()) {
                writer.append(rows.next());
            }
            writer.commit();
            return writer.rowCount();
        }
    }

    /** Starts writing {@code file}; rows are appended one by one, e.g. while they stream into a diff. */
    public static Writer create(Path file, RowLayout layout, List<KeyColumn> key) {
        try {
            return new Writer(file, layout, key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create sorted run file " + file, e);
        }
    }

    /** The header of a file of {@code layout} sorted by {@code key}. */
    private static byte[] header(RowLayout layout, List<KeyColumn> key) throws IOException {
        var header = new ByteArrayOutputStream();
        var data = new DataOutputStream(header);
        data.write(MAGIC);
        data.writeInt(layout.size());
        for (String name : layout.columnNames()) {
            data.writeUTF(name);
        }
        data.writeInt(key.size());
        for (KeyColumn column : key) {
            data.writeUTF(column.name());
            data.writeByte(column.order().ordinal());
        }
        return header.toByteArray();
    }

    public static Reader open(Path file) {
        return open(file, -1, -1);
    }

    /**
     * Reads the rows of {@code file} that start at byte {@code from} (where a row starts, from {@link #middle}; -1
     * for the first row) and end before byte {@code to} (where another starts; -1 for the END marker).
     */
    public static Reader open(Path file, long from, long to) {
        try {
            return new Reader(file, from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open sorted run file " + file, e);
        }
    }

    /**
     * Where {@code file} may be read in two halves: the indexed row start nearest to the middle of its rows, and that
     * row (encoded) with the file's layout and key. Null when the file has no index (written before there was one) or
     * no row start past its first row in it (smaller than {@link #INDEX_EVERY_BYTES}).
     */
    public static Middle middle(Path file) {
        long headerBytes;
        long[] offsets;
        long size;
        try (var reader = open(file); var channel = java.nio.channels.FileChannel.open(file)) {
            headerBytes = header(reader.layout(), reader.keyColumns()).length;
            offsets = Index.read(channel, headerBytes);
            size = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the index of sorted run file " + file, e);
        }
        if (offsets == null) {
            return null;
        }
        long target = headerBytes + (size - headerBytes) / 2;
        long best = -1;
        for (long offset : offsets) {
            if (offset > headerBytes && (best < 0 || Math.abs(offset - target) < Math.abs(best - target))) {
                best = offset;
            }
        }
        if (best < 0) {
            return null;
        }
        try (var reader = open(file, best, -1)) {
            if (!reader.advanceEncoded()) {
                return null;
            }
            byte[] record = java.util.Arrays.copyOfRange(reader.encodedArray(), reader.encodedOffset(),
                    reader.encodedOffset() + reader.encodedLength());
            return new Middle(best, record, reader.layout(), reader.keyColumns());
        }
    }

    /**
     * A row start of a run file past its first row, and that row: the rows before it are one half, the rest the other.
     *
     * @param offset where the row starts
     * @param record the row, encoded
     */
    public record Middle(long offset, byte[] record, RowLayout layout, List<KeyColumn> keyColumns) {
    }

    /**
     * Appends rows, checking they arrive in strictly increasing key order. Close without commit aborts.
     * Encoded rows ({@link #appendEncoded}, {@link #tee}) are written as they are, never decoded.
     */
    public static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path partial;
        /** The file's own rows: all of them, or those before the upper part's. */
        private final Part lower;
        private final RowKey key;
        private final RowCodec.Encoder encoder = new RowCodec.Encoder();
        private final RowCodec.Fields scratch = new RowCodec.Fields();
        private final RowCodec.Fields previousFields = new RowCodec.Fields();
        private byte[] previous = new byte[256];
        private long previousPrefix;
        private boolean done;
        private Part upper;

        private Writer(Path target, RowLayout layout, List<KeyColumn> keyColumns) throws IOException {
            this.target = target;
            this.key = RowKey.of(layout, keyColumns);
            Path dir = target.toAbsolutePath().getParent();
            this.partial = Files.createTempFile(dir, target.getFileName().toString(), ".partial");
            byte[] bytes = header(layout, keyColumns);
            Part rows = null;
            try {
                // The first row is never indexed: a cut there would leave the lower half nothing.
                rows = new Part(partial, 0, INDEX_EVERY_BYTES);
                rows.out.write(bytes, 0, bytes.length);
            } catch (IOException | RuntimeException e) {
                if (rows != null) {
                    rows.abort();
                }
                Files.deleteIfExists(partial);
                throw e;
            }
            rows.position = bytes.length;
            this.lower = rows;
        }

        public void append(Row row) {
            encoder.encode(row);
            scratch.scan(encoder.array(), 0, encoder.length());
            appendEncoded(encoder.array(), 0, encoder.length(), scratch);
        }

        /** Appends a record in {@link RowCodec} form, as {@link EncodedRowIterator} hands them out. */
        public void appendEncoded(byte[] record, int offset, int length, RowCodec.Fields fields) {
            long prefix = key.prefix(record, fields);
            if (lower.count > 0) {
                int c = key.prefixOrder(previousPrefix, prefix);
                if (c == RowKey.UNDECIDED || c >= 0) {
                    previousFields.scan(previous, 0, previous.length);
                    c = key.compareEncoded(previous, previousFields, key, record, fields);
                }
                if (c == 0) {
                    throw new DuplicateKeyException(key.columnNames(), key.values(record, fields),
                            previousFields.line(), fields.line());
                }
                if (c > 0) {
                    // Lines, not key values: those may be personal data.
                    throw new IllegalArgumentException("Rows for " + target + " are not in key order by "
                            + key.columnNames() + ": line " + fields.line() + " follows line " + previousFields.line()
                            + " but its key sorts before");
                }
            }
            lower.write(record, offset, length);
            if (previous.length < length) {
                previous = new byte[Math.max(length, previous.length * 2)];
            }
            System.arraycopy(record, offset, previous, 0, length);
            previousPrefix = prefix;
        }

        /**
         * As {@link #tee}, for the output of an {@link ExternalSorter} sorting by this file's key, which must be this
         * writer's only input: the sorter already fails on a key out of order or repeated
         * ({@link ExternalSorter.Sorted}), so the rows are written without comparing each with the one before.
         */
        public EncodedRowIterator teeSorted(ExternalSorter.Sorted rows) {
            if (lower.count > 0) {
                throw new IllegalStateException("Sorted rows must be the only input of " + target);
            }
            return lower.teeSorted(rows);
        }

        /**
         * Rows of {@code rows}, each appended here as it is pulled: the new snapshot streams into
         * a diff and into the next run file in one pass. Encoded input stays encoded.
         */
        public EncodedRowIterator tee(Iterator<Row> rows) {
            var encoded = RowCodec.encoding(rows);
            return new AbstractEncodedRows() {
                @Override
                protected boolean fetch() {
                    if (!encoded.advanceEncoded()) {
                        return false;
                    }
                    array = encoded.encodedArray();
                    offset = encoded.encodedOffset();
                    length = encoded.encodedLength();
                    fields = encoded.encodedFields();
                    appendEncoded(array, offset, length, fields);
                    return true;
                }

                @Override
                public void close() {
                    end();
                    encoded.close();
                }
            };
        }

        public long rowCount() {
            return lower.count + (upper == null ? 0 : upper.count);
        }

        /**
         * Starts the rows that sort after those this writer is given: written by another thread, through the part
         * returned, straight to where they belong in the file, after {@code bytesBefore} bytes of rows written here.
         * Commit checks that exactly so many were.
         */
        public Part upperPart(long bytesBefore) {
            if (upper != null || lower.count > 0) {
                throw new IllegalStateException("The upper part of " + target + " must start before any row");
            }
            try {
                // Its first row is indexed: where this diff cut the file, the next one may cut it again.
                long start = lower.position + bytesBefore;
                upper = new Part(partial, start, start);
                return upper;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + partial, e);
            }
        }

        /** Makes the file durable and moves it over the target. */
        public void commit() {
            try {
                if (upper != null) {
                    lower.out.flush();
                    if (lower.position != upper.start) {
                        // Only a fault of the sort's byte count gets here: the halves would overlap or leave a gap.
                        throw new IllegalStateException("The lower rows of " + target + " end at byte "
                                + lower.position + ", the upper ones start at " + upper.start);
                    }
                    upper.finish();
                    lower.index.addAll(upper.index);
                    lower.channel.position(upper.position);
                }
                lower.out.write(RowCodec.END);
                lower.index.writeTo(lower.out);
                lower.out.flush();
                lower.channel.force(true);
                lower.finish();
                done = true;
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot commit sorted run file " + target, e);
            }
        }

        @Override
        public void close() {
            if (!done) {
                if (upper != null) {
                    upper.abort();
                }
                lower.abort();
                ExternalSorter.deleteQuietly(partial);
                done = true;
            }
        }
    }

    /**
     * A stretch of a run file's rows, in key order, written by one thread: a writer's own rows, or those that sort
     * after them, written by a thread of their own to their place in the file ({@link Writer#upperPart}). It notes
     * where a row starts about every {@link #INDEX_EVERY_BYTES}, and starts syncing what it wrote to the disk on
     * another thread every {@link #SYNC_EVERY_BYTES}, so that commit's own sync finds little left to do (only an
     * early start: commit's sync is what makes the file durable, and reports what fails). The writer's commit or
     * close closes it.
     */
    public static final class Part {
        private final Path file;
        private final java.nio.channels.FileChannel channel;
        private final RecordOutput out;
        final long start;
        final Index index = new Index();
        /** Where the next row starts. */
        long position;
        long count;
        private long nextIndexAt;
        private long unsynced;
        private java.util.concurrent.Future<?> syncing;

        private Part(Path file, long start, long firstIndexAt) throws IOException {
            this.file = file;
            this.start = start;
            this.position = start;
            this.nextIndexAt = firstIndexAt;
            this.channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE);
            channel.position(start);
            this.out = new RecordOutput(channel, BUFFER);
        }

        /**
         * The rows of {@code rows}, each written here as it is pulled, without comparing keys: the output of an
         * {@link ExternalSorter} sorting by this file's key has checked them ({@link ExternalSorter.Sorted}).
         */
        public EncodedRowIterator teeSorted(ExternalSorter.Sorted rows) {
            return new AbstractEncodedRows() {
                @Override
                protected boolean fetch() {
                    if (!rows.advanceEncoded()) {
                        return false;
                    }
                    array = rows.encodedArray();
                    offset = rows.encodedOffset();
                    length = rows.encodedLength();
                    fields = rows.encodedFields();
                    write(array, offset, length);
                    return true;
                }

                @Override
                public void close() {
                    end();
                    // the owner of the sorted rows closes them
                }
            };
        }

        void write(byte[] record, int offset, int length) {
            if (position >= nextIndexAt) {
                index.add(position);
                nextIndexAt = position - position % INDEX_EVERY_BYTES + INDEX_EVERY_BYTES;
            }
            position += length;
            count++;
            try {
                out.write(record, offset, length);
                unsynced += length;
                if (unsynced >= SYNC_EVERY_BYTES && (syncing == null || syncing.isDone())) {
                    out.flush();
                    unsynced = 0;
                    syncing = SYNCS.submit(() -> {
                        try {
                            channel.force(false);
                        } catch (IOException | RuntimeException e) {
                            // commit syncs again and reports it; an abort closes the channel under this sync
                        }
                    });
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + file, e);
            }
        }

        /** Writes out what is buffered and closes the file. */
        void finish() throws IOException {
            out.close();
        }

        void abort() {
            try {
                out.close();
            } catch (IOException ignored) {
                // aborting: the writer deletes the file
            }
        }
    }

    /** Where rows start, about every {@link #INDEX_EVERY_BYTES}, in ascending order. */
    static final class Index {
        private long[] offsets = new long[16];
        private int size;

        void add(long offset) {
            if (size == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, size * 2);
            }
            offsets[size++] = offset;
        }

        void addAll(Index other) {
            for (int i = 0; i < other.size; i++) {
                add(other.offsets[i]);
            }
        }

        void writeTo(RecordOutput out) throws IOException {
            var bytes = new ByteArrayOutputStream(size * 8 + 12);
            var data = new DataOutputStream(bytes);
            for (int i = 0; i < size; i++) {
                data.writeLong(offsets[i]);
            }
            data.writeInt(size);
            data.write(INDEX_MAGIC);
            byte[] footer = bytes.toByteArray();
            out.write(footer, 0, footer.length);
        }

        /**
         * The index at the end of {@code file}, or null when it has none (written before there was one, or cut
         * short) or it does not hold up (offsets out of order, or outside the rows).
         */
        static long[] read(java.nio.channels.FileChannel file, long headerBytes) throws IOException {
            long size = file.size();
            if (size < headerBytes + 1 + 12) {
                return null;
            }
            var tail = java.nio.ByteBuffer.allocate(12);
            file.read(tail, size - 12);
            tail.flip();
            int count = tail.getInt();
            byte[] magic = new byte[8];
            tail.get(magic);
            if (!java.util.Arrays.equals(magic, INDEX_MAGIC) || count < 0 || (long) count * 8 > Integer.MAX_VALUE
                    || (long) count * 8 > size - 12 - headerBytes - 1) {
                return null;
            }
            var entries = java.nio.ByteBuffer.allocate(count * 8);
            long from = size - 12 - (long) count * 8;
            while (entries.hasRemaining()) {
                if (file.read(entries, from + entries.position()) < 0) {
                    return null;
                }
            }
            entries.flip();
            long[] offsets = new long[count];
            long previous = headerBytes - 1;
            for (int i = 0; i < count; i++) {
                offsets[i] = entries.getLong();
                // Rows end, with the END marker, before the index starts.
                if (offsets[i] <= previous || offsets[i] >= from - 1) {
                    return null;
                }
                previous = offsets[i];
            }
            return offsets;
        }
    }

    /** The first {@code length} bytes of a stream, then an END marker: a run file's rows up to a row start. */
    private static final class EndingAt extends java.io.FilterInputStream {
        private long left;
        private boolean ended;

        EndingAt(java.io.InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left > 0) {
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    return -1; // cut short: the reader says so
                }
                left -= n;
                return n;
            }
            if (ended) {
                return -1;
            }
            ended = true;
            b[off] = RowCodec.END;
            return 1;
        }
    }

    /** Reads a file back in its key order, as rows or as encoded records; fails if the file was cut short. */
    public static final class Reader extends AbstractEncodedRows {
        private final RowLayout layout;
        private final List<KeyColumn> keyColumns;
        private final RecordInput rows;

        private Reader(Path path, long from, long to) throws IOException {
            var in = new BufferedInputStream(Files.newInputStream(path), 8192);
            try {
                var data = new DataInputStream(in);
                byte[] magic = data.readNBytes(MAGIC.length);
                if (!java.util.Arrays.equals(magic, MAGIC)) {
                    throw new IOException(path + " is not an Onramp sorted run file (bad magic)");
                }
                var names = new ArrayList<String>();
                for (int i = data.readInt(); i > 0; i--) {
                    names.add(data.readUTF());
                }
                var key = new ArrayList<KeyColumn>();
                for (int i = data.readInt(); i > 0; i--) {
                    key.add(new KeyColumn(data.readUTF(), KeyColumn.Order.values()[data.readByte()]));
                }
                this.layout = new RowLayout(names);
                this.keyColumns = List.copyOf(key);
                long headerBytes = header(layout, keyColumns).length;
                if (from >= 0) {
                    if (from < headerBytes) {
                        throw new IOException(path + ": rows start at byte " + headerBytes + ", not " + from);
                    }
                    in.skipNBytes(from - headerBytes);
                }
                long start = Math.max(from, headerBytes);
                this.rows = new RecordInput(to < 0 ? in : new EndingAt(in, to - start), path.toString(), BUFFER);
                hasNext(); // fail now on a file cut short in its first row
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        public RowLayout layout() {
            return layout;
        }

        public List<KeyColumn> keyColumns() {
            return keyColumns;
        }

        @Override
        protected boolean fetch() {
            try {
                if (!rows.next()) {
                    return false;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            array = rows.array();
            offset = rows.recordOffset;
            length = rows.recordLength;
            fields = rows.fields();
            return true;
        }

        @Override
        public void close() {
            end();
            try {
                rows.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
