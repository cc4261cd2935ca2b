package io.onramp.connect.core.sort;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * The compact binary form of rows, shared by spill runs and {@link SortedRunFile}. Not Java
 * serialization: the format is ours, stable, and readable by any later version.
 *
 * <pre>
 * stream  := record* END
 * record  := ROW varlong(lineNumber) varint(columnCount) value{columnCount}
 * value   := varint(0)                      -- null
 *          | varint(n + 1) byte{n}          -- n bytes of UTF-8 (n may be 0: the empty string)
 * ROW = 0x01, END = 0x00; varint/varlong = unsigned LEB128 (7 bits a byte, low group first)
 * </pre>
 *
 * The explicit END marker lets a reader tell a complete file from one cut short by a crash.
 */
public final class RowCodec {

    static final int ROW = 1;
    static final int END = 0;

    private RowCodec() {
    }

    /**
     * The values of one encoded record, located without decoding them: where each value's
     * UTF-8 bytes start in the array and how long they are ({@code -1} for null). Reused from
     * record to record; valid while the record's bytes are.
     */
    public static final class Fields {
        private long line;
        private int count;
        private int[] starts = new int[16];
        private int[] lengths = new int[16];

        /**
         * Scans the record whose ROW tag is at {@code off}; returns the offset just past it, or
         * -1 when it does not end before {@code limit}.
         *
         * @throws IllegalArgumentException when the bytes are not a record
         */
        public int scan(byte[] b, int off, int limit) {
            if (off >= limit) {
                return -1;
            }
            if (b[off] != ROW) {
                throw new IllegalArgumentException("Corrupt row stream: unexpected record tag " + b[off]);
            }
            int p = off + 1;
            long value = 0;
            int shift = 0;
            // lineNumber
            while (true) {
                if (p >= limit) {
                    return -1;
                }
                int x = b[p++];
                value |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    break;
                }
                shift += 7;
            }
            line = value;
            int n = 0;
            shift = 0;
            while (true) {
                if (p >= limit) {
                    return -1;
                }
                int x = b[p++];
                n |= (x & 0x7F) << shift;
                if (x >= 0) {
                    break;
                }
                shift += 7;
            }
            if (n > starts.length) {
                starts = new int[n];
                lengths = new int[n];
            }
            count = n;
            for (int i = 0; i < n; i++) {
                if (p >= limit) {
                    return -1;
                }
                int x = b[p++];
                int length;
                if (x >= 0) {
                    length = x;
                } else {
                    length = x & 0x7F;
                    shift = 7;
                    while (true) {
                        if (p >= limit) {
                            return -1;
                        }
                        x = b[p++];
                        length |= (x & 0x7F) << shift;
                        if (x >= 0) {
                            break;
                        }
                        shift += 7;
                    }
                }
                starts[i] = p;
                lengths[i] = length - 1;
                if (length > 0) {
                    p += length - 1;
                    if (p > limit) {
                        return -1;
                    }
                }
            }
            return p;
        }

        public long line() {
            return line;
        }

        public int count() {
            return count;
        }

        public int start(int index) {
            return starts[index];
        }

        /** Bytes of value {@code index}, or -1 when it is null. */
        public int length(int index) {
            return lengths[index];
        }

        /** Value {@code index} decoded, or null. */
        public String value(byte[] b, int index) {
            int length = lengths[index];
            return length < 0 ? null : new String(b, starts[index], length, StandardCharsets.UTF_8);
        }

        /** True when value {@code i} here and value {@code j} of {@code other} hold the same bytes (or both null). */
        public boolean sameValue(byte[] b, int i, Fields other, byte[] ob, int j) {
            int length = i < 0 ? -1 : lengths[i];
            int otherLength = j < 0 ? -1 : other.lengths[j];
            return length == otherLength && (length <= 0
                    || java.util.Arrays.equals(b, starts[i], starts[i] + length, ob, other.starts[j], other.starts[j] + length));
        }

        /** Starts describing a record built in place (instead of scanning it). */
        void reset(long lineNumber) {
            line = lineNumber;
            count = 0;
        }

        /** Appends value {@code count()} of a record built in place. */
        void add(int start, int length) {
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, count * 2);
                lengths = java.util.Arrays.copyOf(lengths, count * 2);
            }
            starts[count] = start;
            lengths[count++] = length;
        }

        /** Copies the scan of another record whose bytes were moved by {@code shift}. */
        void copyFrom(Fields other, int shift) {
            if (starts.length < other.count) {
                starts = new int[other.starts.length];
                lengths = new int[other.starts.length];
            }
            line = other.line;
            count = other.count;
            for (int i = 0; i < count; i++) {
                starts[i] = other.starts[i] + shift;
                lengths[i] = other.lengths[i];
            }
        }
    }

    /** The row of an encoded record, its values decoded. */
    public static Row decode(byte[] b, Fields fields) {
        var values = new String[fields.count()];
        for (int i = 0; i < values.length; i++) {
            values[i] = fields.value(b, i);
        }
        return Row.wrap(fields.line(), values);
    }

    /** Encodes rows one at a time into a reused buffer: {@link #array()} {@code [0, length())}. */
    public static final class Encoder {
        private byte[] buffer = new byte[512];
        private int length;

        public void encode(Row row) {
            length = 0;
            ensure(24);
            buffer[length++] = ROW;
            putVarLong(row.lineNumber());
            putVarLong(row.size());
            for (int v = 0, n = row.size(); v < n; v++) {
                String value = row.get(v);
                if (value == null) {
                    ensure(1);
                    buffer[length++] = 0;
                    continue;
                }
                int chars = value.length();
                ensure(5 + chars);
                // Optimistically ASCII: one byte a char, length prefix known up front.
                int lengthAt = length;
                int prefix = varIntSize(chars + 1);
                int p = lengthAt + prefix;
                int i = 0;
                for (; i < chars; i++) {
                    char c = value.charAt(i);
                    if (c >= 0x80) {
                        break;
                    }
                    buffer[p++] = (byte) c;
                }
                if (i == chars) {
                    putVarLongAt(lengthAt, chars + 1L);
                    length = p;
                } else {
                    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                    ensure(10 + bytes.length);
                    putVarLong(bytes.length + 1L);
                    System.arraycopy(bytes, 0, buffer, length, bytes.length);
                    length += bytes.length;
                }
            }
        }

        public byte[] array() {
            return buffer;
        }

        public int length() {
            return length;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(length + more, buffer.length * 2));
            }
        }

        private static int varIntSize(long value) {
            int size = 1;
            while ((value & ~0x7FL) != 0) {
                value >>>= 7;
                size++;
            }
            return size;
        }

        private void putVarLongAt(int at, long value) {
            while ((value & ~0x7FL) != 0) {
                buffer[at++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[at] = (byte) value;
        }

        private void putVarLong(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                buffer[length++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[length++] = (byte) value;
        }
    }

    /** {@code rows} as an {@link EncodedRowIterator}: itself when it is one, else each row encoded as it is pulled. */
    public static EncodedRowIterator encoding(Iterator<Row> rows) {
        return rows instanceof EncodedRowIterator encoded ? encoded : new Encoding(rows);
    }

    /** Rows encoded one by one, for APIs that take encoded rows from callers that have Rows. */
    static final class Encoding extends AbstractEncodedRows {
        private final Iterator<Row> rows;
        private final RowCodec.Encoder encoder = new RowCodec.Encoder();
        private final RowCodec.Fields scanned = new RowCodec.Fields();

        Encoding(Iterator<Row> rows) {
            this.rows = rows;
        }

        @Override
        protected boolean fetch() {
            if (!rows.hasNext()) {
                return false;
            }
            encoder.encode(rows.next());
            array = encoder.array();
            offset = 0;
            length = encoder.length();
            scanned.scan(array, 0, length);
            fields = scanned;
            return true;
        }

        @Override
        public void close() {
            end();
            if (rows instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Writes rows to a stream the caller buffers; {@link #close} writes END and closes the stream. */
    public static final class Writer implements Closeable {
        private final OutputStream out;
        private final Encoder encoder = new Encoder();
        private boolean closed;

        public Writer(OutputStream out) {
            this.out = out;
        }

        /** Encodes the row in our own buffer and hands it over in one write (stream writes are synchronized). */
        public void write(Row row) throws IOException {
            encoder.encode(row);
            out.write(encoder.array(), 0, encoder.length());
        }

        /** Writes a record already encoded, e.g. read from another run, without decoding it. */
        public void writeEncoded(byte[] record, int offset, int length) throws IOException {
            out.write(record, offset, length);
        }

        /** Writes END and flushes without closing, for callers that fsync before closing. */
        public void finish() throws IOException {
            if (!closed) {
                closed = true;
                out.write(END);
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            try {
                finish();
            } finally {
                out.close();
            }
        }
    }

    /** Reads rows back; {@link #read} returns null at END and fails on a stream cut short. */
    public static final class Reader implements Closeable {
        private final InputStream in;
        private final String source;
        private byte[] buffer = new byte[256];
        private boolean ended;

        /** @param source names the file in error messages */
        public Reader(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        public Row read() throws IOException {
            if (ended) {
                return null;
            }
            int tag = in.read();
            if (tag == END) {
                ended = true;
                return null;
            }
            if (tag != ROW) {
                throw tag < 0 ? truncated() : new IOException(source + " is corrupt: unexpected record tag " + tag);
            }
            long line = readVarLong();
            int count = (int) readVarLong();
            var values = new String[count];
            for (int i = 0; i < count; i++) {
                long length = readVarLong();
                if (length > 0) {
                    values[i] = readUtf8((int) (length - 1));
                }
            }
            return Row.wrap(line, values);
        }

        private String readUtf8(int length) throws IOException {
            if (length > buffer.length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            if (in.readNBytes(buffer, 0, length) != length) {
                throw truncated();
            }
            return new String(buffer, 0, length, StandardCharsets.UTF_8);
        }

        private long readVarLong() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    throw truncated();
                }
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IOException(source + " is corrupt: varint longer than 64 bits");
        }

        private IOException truncated() {
            return new EOFException(source + " ends before its end marker; it was cut short (crash or full disk?)");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
