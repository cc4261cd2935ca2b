package io.onramp.connect.core.sort;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
    private static final int BUFFER = 64 * 1024;

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

    /** Appends rows, checking they arrive in strictly increasing key order. Close without commit aborts. */
    public static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path partial;
        private final FileOutputStream file;
        private final RowCodec.Writer rows;
        private final RowKey key;
        private Row previous;
        private long count;
        private boolean done;

        private Writer(Path target, RowLayout layout, List<KeyColumn> keyColumns) throws IOException {
            this.target = target;
            this.key = RowKey.of(layout, keyColumns);
            Path dir = target.toAbsolutePath().getParent();
            this.partial = Files.createTempFile(dir, target.getFileName().toString(), ".partial");
            this.file = new FileOutputStream(partial.toFile());
            var out = new DataOutputStream(new BufferedOutputStream(file, BUFFER));
            out.write(MAGIC);
            out.writeInt(layout.size());
            for (String name : layout.columnNames()) {
                out.writeUTF(name);
            }
            out.writeInt(keyColumns.size());
            for (KeyColumn column : keyColumns) {
                out.writeUTF(column.name());
                out.writeByte(column.order().ordinal());
            }
            this.rows = new RowCodec.Writer(out);
        }

        public void append(Row row) {
            if (previous != null) {
                int c = key.compare(previous, row);
                if (c == 0) {
                    throw new DuplicateKeyException(key.columnNames(), key.values(row), previous.lineNumber(), row.lineNumber());
                }
                if (c > 0) {
                    throw new IllegalArgumentException("Rows for " + target + " are not in key order: line "
                            + row.lineNumber() + " " + key.values(row) + " follows " + key.values(previous));
                }
            }
            try {
                rows.write(row);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + partial, e);
            }
            previous = row;
            count++;
        }

        public long rowCount() {
            return count;
        }

        /** Makes the file durable and moves it over the target. */
        public void commit() {
            try {
                rows.finish();
                file.getChannel().force(true);
                rows.close();
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
                    rows.close();
                } catch (IOException ignored) {
                    // aborting: the partial file is deleted below either way
                }
                ExternalSorter.deleteQuietly(partial);
                done = true;
            }
        }
    }

    /** Reads a file back in its key order; fails if the file was cut short. */
    public static final class Reader implements CloseableIterator<Row> {
        private final RowLayout layout;
        private final List<KeyColumn> keyColumns;
        private final RowCodec.Reader rows;
        private Row next;

        private Reader(Path path) throws IOException {
            var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), BUFFER));
            try {
                byte[] magic = in.readNBytes(MAGIC.length);
                if (!java.util.Arrays.equals(magic, MAGIC)) {
                    throw new IOException(path + " is not an Onramp sorted run file (bad magic)");
                }
                var names = new ArrayList<String>();
                for (int i = in.readInt(); i > 0; i--) {
                    names.add(in.readUTF());
                }
                var key = new ArrayList<KeyColumn>();
                for (int i = in.readInt(); i > 0; i--) {
                    key.add(new KeyColumn(in.readUTF(), KeyColumn.Order.values()[in.readByte()]));
                }
                this.layout = new RowLayout(names);
                this.keyColumns = List.copyOf(key);
                this.rows = new RowCodec.Reader(in, path.toString());
                this.next = rows.read();
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
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Row next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Row row = next;
            try {
                next = rows.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return row;
        }

        @Override
        public void close() {
            next = null;
            try {
                rows.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
