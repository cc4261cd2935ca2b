package io.onramp.connect.core.sort;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
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
 * </pre>
 * ({@code int} and {@code utf} are {@link DataOutputStream}'s big-endian int and modified UTF-8.)
 * The header records the layout and key so a reader never diffs against a file sorted another way.
 *
 * <p>A file is written beside its target and moved into place atomically after an fsync, so a
 * crash leaves either the old file or the new one, never half of one.
 */
public final class SortedRunFile {

    private static final byte[] MAGIC = "ONRSRUN1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int BUFFER = 256 * 1024;
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

    public static Reader open(Path file) {
        try {
            return new Reader(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open sorted run file " + file, e);
        }
    }

    /**
     * Appends rows, checking they arrive in strictly increasing key order. Close without commit aborts.
     * Encoded rows ({@link #appendEncoded}, {@link #tee}) are written as they are, never decoded.
     */
    public static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path partial;
        private final FileOutputStream file;
        private final RecordOutput out;
        private final RowKey key;
        private final RowCodec.Encoder encoder = new RowCodec.Encoder();
        private final RowCodec.Fields scratch = new RowCodec.Fields();
        private final RowCodec.Fields previousFields = new RowCodec.Fields();
        private byte[] previous = new byte[256];
        private long previousPrefix;
        private long count;
        private boolean done;
        private long unsynced;
        private java.util.concurrent.Future<?> syncing;

        private Writer(Path target, RowLayout layout, List<KeyColumn> keyColumns) throws IOException {
            this.target = target;
            this.key = RowKey.of(layout, keyColumns);
            Path dir = target.toAbsolutePath().getParent();
            this.partial = Files.createTempFile(dir, target.getFileName().toString(), ".partial");
            this.file = new FileOutputStream(partial.toFile());
            this.out = new RecordOutput(file.getChannel(), BUFFER);
            var header = new ByteArrayOutputStream();
            var data = new DataOutputStream(header);
            data.write(MAGIC);
            data.writeInt(layout.size());
            for (String name : layout.columnNames()) {
                data.writeUTF(name);
            }
            data.writeInt(keyColumns.size());
            for (KeyColumn column : keyColumns) {
                data.writeUTF(column.name());
                data.writeByte(column.order().ordinal());
            }
            byte[] bytes = header.toByteArray();
            out.write(bytes, 0, bytes.length);
        }

        public void append(Row row) {
            encoder.encode(row);
            scratch.scan(encoder.array(), 0, encoder.length());
            appendEncoded(encoder.array(), 0, encoder.length(), scratch);
        }

        /** Appends a record in {@link RowCodec} form, as {@link EncodedRowIterator} hands them out. */
        public void appendEncoded(byte[] record, int offset, int length, RowCodec.Fields fields) {
            long prefix = key.prefix(record, fields);
            if (count > 0) {
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
            write(record, offset, length);
            if (previous.length < length) {
                previous = new byte[Math.max(length, previous.length * 2)];
            }
            System.arraycopy(record, offset, previous, 0, length);
            previousPrefix = prefix;
            count++;
        }

        private void write(byte[] record, int offset, int length) {
            try {
                out.write(record, offset, length);
                unsynced += length;
                if (unsynced >= SYNC_EVERY_BYTES && (syncing == null || syncing.isDone())) {
                    syncInBackground();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + partial, e);
            }
        }

        /**
         * As {@link #tee}, for the output of an {@link ExternalSorter} sorting by this file's key, which must be this
         * writer's only input: the sorter already fails on a key out of order or repeated
         * ({@link ExternalSorter.Sorted}), so the rows are written without comparing each with the one before.
         */
        public EncodedRowIterator teeSorted(ExternalSorter.Sorted rows) {
            if (count > 0) {
                throw new IllegalStateException("Sorted rows must be the only input of " + target);
            }
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
                    count++;
                    return true;
                }

                @Override
                public void close() {
                    end();
                    // the owner of the sorted rows closes them
                }
            };
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
            return count;
        }

        /**
         * Starts writing what was written so far to the disk, on another thread, while more is written: a large run
         * then costs commit's sync little time. Only an early start: commit's own sync is what makes the file
         * durable, and reports what fails (the background sync's failures are left to it).
         */
        private void syncInBackground() throws IOException {
            out.flush();
            unsynced = 0;
            var channel = file.getChannel();
            syncing = SYNCS.submit(() -> {
                try {
                    channel.force(false);
                } catch (IOException | RuntimeException e) {
                    // commit syncs again and reports it; an abort closes the channel under this sync
                }
            });
        }

        /** Makes the file durable and moves it over the target. */
        public void commit() {
            try {
                out.write(RowCodec.END);
                out.flush();
                file.getChannel().force(true);
                out.close();
                done = true;
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot commit sorted run file " + target, e);
            }
        }

        @Override
        public void close() {
            if (!done) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // aborting: the partial file is deleted below either way
                }
                ExternalSorter.deleteQuietly(partial);
                done = true;
            }
        }
    }

    /** Reads a file back in its key order, as rows or as encoded records; fails if the file was cut short. */
    public static final class Reader extends AbstractEncodedRows {
        private final RowLayout layout;
        private final List<KeyColumn> keyColumns;
        private final RecordInput rows;

        private Reader(Path path) throws IOException {
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
                this.rows = new RecordInput(in, path.toString(), BUFFER);
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
