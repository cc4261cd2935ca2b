package io.onramp.connect.core.sort;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

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

    /** Writes rows to a stream the caller buffers; {@link #close} writes END and closes the stream. */
    public static final class Writer implements Closeable {
        private final OutputStream out;
        private byte[] buffer = new byte[512];
        private int length;
        private boolean closed;

        public Writer(OutputStream out) {
            this.out = out;
        }

        /** Encodes the row in our own buffer and hands it over in one write (stream writes are synchronized). */
        public void write(Row row) throws IOException {
            length = 0;
            ensure(24);
            buffer[length++] = ROW;
            putVarLong(row.lineNumber());
            putVarLong(row.size());
            for (String value : row.values()) {
                if (value == null) {
                    ensure(1);
                    buffer[length++] = 0;
                } else {
                    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                    ensure(10 + bytes.length);
                    putVarLong(bytes.length + 1L);
                    System.arraycopy(bytes, 0, buffer, length, bytes.length);
                    length += bytes.length;
                }
            }
            out.write(buffer, 0, length);
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(length + more, buffer.length * 2));
            }
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

        private void putVarLong(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                buffer[length++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[length++] = (byte) value;
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
