package io.onramp.connect.core.sort;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a UTF-8 (or ASCII) CSV file straight into encoded rows ({@link RowCodec} records), for
 * the sorter and the diff: field bytes are copied, never decoded to strings, unless the caller
 * pulls {@link Row}s. RFC 4180 as FastCSV reads it: fields quoted with {@code quote} may hold
 * delimiters, line breaks and doubled quotes; CR, LF and CRLF end a record; empty lines are
 * skipped; a byte order mark is dropped. Empty fields are empty strings, never null. Line
 * numbers are those of the line each record starts on.
 *
 * <p>Field counts are not checked here: the diff checks each row against its layout. Bytes
 * that are not valid UTF-8 pass through and decode to U+FFFD; a file in another charset must
 * go through a decoding reader and the {@link Row} path instead.
 */
public final class CsvRowReader extends AbstractEncodedRows {

    private static final int RESERVE = 16; // room for tag, line number and value count before the values
    private static final int BUFFER = BufferSizes.LARGEST;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;

    private final InputStream in;
    private final String source;
    private final byte delimiter;
    private final byte quote;
    private final long delimiters;
    private final RowCodec.Fields scanned = new RowCodec.Fields();
    private final List<String> header;
    private byte[] buffer;
    private int position;
    private int limit;
    private boolean eof;
    private long line = 1;
    private byte[] record = new byte[1024];
    private boolean textAfterQuote;
    private boolean crInQuotes;
    /** Whether every value of the record last read is well-formed UTF-8. */
    private boolean utf8;

    private CsvRowReader(InputStream in, String source, char delimiter, char quote, boolean header, int bufferSize)
            throws IOException {
        this(in, source, delimiter, quote, header, bufferSize, 1, true);
    }

    private CsvRowReader(InputStream in, String source, char delimiter, char quote, boolean header, int bufferSize,
            long firstLine, boolean fileStart) throws IOException {
        if (delimiter >= 0x80 || quote >= 0x80 || delimiter == quote) {
            throw new IllegalArgumentException("CSV delimiter and quote must be two different ASCII characters");
        }
        this.in = in;
        this.buffer = new byte[bufferSize];
        this.source = source;
        this.delimiter = (byte) delimiter;
        this.quote = (byte) quote;
        this.delimiters = 0x0101010101010101L * delimiter;
        this.line = firstLine;
        fill();
        while (limit < 3 && !eof) {
            fill();
        }
        if (fileStart && limit >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
            position = 3;
        }
        if (header && advanceEncoded()) {
            var names = new ArrayList<String>(fields.count());
            for (int i = 0; i < fields.count(); i++) {
                names.add(fields.value(array, i));
            }
            this.header = List.copyOf(names);
        } else {
            this.header = header ? List.of() : null;
        }
    }

    /**
     * Opens {@code file}; with {@code header}, its first record is read as the column names.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static CsvRowReader open(Path file, char delimiter, char quote, boolean header) {
        return open(file, delimiter, quote, header, BUFFER);
    }

    static CsvRowReader open(Path file, char delimiter, char quote, boolean header, int bufferSize) {
        InputStream in = null;
        try {
            in = Files.newInputStream(file);
            return new CsvRowReader(in, file.toString(), delimiter, quote, header, bufferSize);
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException("Cannot read CSV file " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /**
     * Opens the part {@code [from, to)} of {@code file}, numbering its lines from {@code firstLine}: for reading
     * one file on several threads, each part on its own. A byte order mark is dropped only at the file's start.
     * {@code from} must be where a record starts; whoever splits the file checks that (the part before it must end
     * there, on the line this part starts on: see {@link #line()}).
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static CsvRowReader openPart(Path file, long from, long to, long firstLine, char delimiter, char quote,
            boolean header) {
        InputStream in = null;
        try {
            var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
            in = new PartInputStream(channel, to - from);
            channel.position(from);
            return new CsvRowReader(in, file.toString(), delimiter, quote, header, BUFFER, firstLine, from == 0);
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException("Cannot read CSV file " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /**
     * The number of the line the next record would start on; once the reader has ended, one past its last line
     * (empty lines at the end included): where a part that follows this one must start numbering.
     */
    public long line() {
        return line;
    }

    /** At most {@code remaining} bytes of a channel, from its position; closes the channel. */
    private static final class PartInputStream extends InputStream {
        private final java.nio.channels.FileChannel channel;
        private long remaining;

        PartInputStream(java.nio.channels.FileChannel channel, long remaining) {
            this.channel = channel;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    /** The header row's names, empty for an empty file; null when opened without a header. */
    public List<String> header() {
        return header;
    }

    /**
     * True once a record read so far had text after the closing quote of a field, which this reader keeps in the
     * field and FastCSV rejects: a caller that must read exactly what FastCSV reads checks it.
     */
    public boolean textAfterClosingQuote() {
        return textAfterQuote;
    }

    /**
     * True once a record read so far had a CR inside a quoted field. Only LFs there count as line breaks here,
     * where FastCSV also counts a lone CR: a caller that must number lines as FastCSV does checks it.
     */
    public boolean crInQuotedField() {
        return crInQuotes;
    }

    /**
     * Whether every value of the record last read is well-formed UTF-8, as a decoder that reports malformed input
     * judges it (no overlong forms, no surrogates, nothing above U+10FFFF). Checked as the record is parsed, and
     * only in the values that hold a byte with its high bit set.
     */
    public boolean wellFormedUtf8() {
        return utf8;
    }

    /** The layout the header names. */
    public RowLayout layout() {
        if (header == null) {
            throw new IllegalStateException(source + " was opened without a header");
        }
        return new RowLayout(header);
    }

    @Override
    protected boolean fetch() {
        try {
            while (true) {
                int result = parseRecord();
                if (result != 0) {
                    return result > 0;
                }
                fill();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read CSV file " + source, e);
        }
    }

    /** 1: a record is ready; -1: end of input; 0: the record runs past the buffer, fill and retry. */
    private int parseRecord() {
        byte[] b = buffer;
        int p = position;
        // Skip empty lines, keeping count of them.
        while (p < limit && (b[p] == '\n' || b[p] == '\r')) {
            if (b[p] == '\r' && p + 1 >= limit && !eof) {
                break;
            }
            if (b[p] == '\r' && p + 1 < limit && b[p + 1] == '\n') {
                p++;
            }
            p++;
            line++;
        }
        position = p;
        if (p >= limit) {
            return eof ? -1 : 0;
        }
        long startLine = line;
        long lines = line;
        int w = RESERVE;
        int count = 0;
        boolean wellFormed = true;
        scanned.reset(startLine);
        byte delim = delimiter;
        while (true) {
            if (p < limit && b[p] == quote) {
                p++;
                int c = w + 5;
                while (true) {
                    if (p >= limit) {
                        if (eof) {
                            throw new UncheckedIOException(new IOException(source + ": line " + startLine
                                    + " opens a quoted field that never closes"));
                        }
                        return 0;
                    }
                    byte x = b[p];
                    if (x == quote) {
                        if (p + 1 >= limit && !eof) {
                            return 0;
                        }
                        if (p + 1 < limit && b[p + 1] == quote) {
                            c = put(c, quote);
                            p += 2;
                            continue;
                        }
                        p++;
                        break;
                    }
                    if (x == '\n') {
                        lines++;
                    } else if (x == '\r') {
                        crInQuotes = true;
                    }
                    c = put(c, x);
                    p++;
                }
                // Lenient: text after the closing quote belongs to the field (FastCSV 3 rejects it instead).
                while (p < limit && b[p] != delim && b[p] != '\n' && b[p] != '\r') {
                    textAfterQuote = true;
                    c = put(c, b[p++]);
                }
                if (p >= limit && !eof) {
                    return 0;
                }
                int length = c - (w + 5);
                // Quoted fields are few: checked whole.
                wellFormed &= Utf8.wellFormed(record, w + 5, length);
                int size = varIntSize(length + 1);
                putVarInt(w, length + 1);
                System.arraycopy(record, w + 5, record, w + size, length);
                scanned.add(w + size, length);
                w += size + length;
            } else {
                int start = p;
                // Eight bytes at a time: the lowest byte equal to the delimiter, LF or CR ends the field. The
                // field's bytes are OR-ed together on the way, so that only a field with a byte >= 0x80 gets its
                // UTF-8 checked.
                long high = 0;
                while (p + 8 <= limit) {
                    long word = (long) LONGS.get(b, p);
                    long hit = zeroByte(word ^ delimiters) | zeroByte(word ^ LFS) | zeroByte(word ^ CRS);
                    if (hit != 0) {
                        high |= word & ((hit & -hit) - 1); // the bytes before the one that ends the field
                        p += Long.numberOfTrailingZeros(hit) >>> 3;
                        break;
                    }
                    high |= word;
                    p += 8;
                }
                while (p < limit) {
                    byte x = b[p];
                    if (x == delim || x == '\n' || x == '\r') {
                        break;
                    }
                    high |= x;
                    p++;
                }
                if (p >= limit && !eof) {
                    return 0;
                }
                int length = p - start;
                if ((high & 0x8080808080808080L) != 0) {
                    wellFormed &= Utf8.wellFormed(b, start, length);
                }
                ensure(w + 5 + length);
                if (length < 127) {
                    record[w++] = (byte) (length + 1);
                } else {
                    w += putVarInt(w, length + 1);
                }
                System.arraycopy(b, start, record, w, length);
                scanned.add(w, length);
                w += length;
            }
            count++;
            if (p >= limit) {
                break; // last record of a file without a final line break
            }
            byte x = b[p];
            if (x == delim) {
                p++;
                continue;
            }
            if (x == '\r') {
                if (p + 1 >= limit && !eof) {
                    return 0;
                }
                p++;
                if (p < limit && b[p] == '\n') {
                    p++;
                }
            } else {
                p++;
            }
            lines++;
            break;
        }
        // The record header, written right before the values.
        int headerSize = 1 + varIntSize(startLine) + varIntSize(count);
        int off = RESERVE - headerSize;
        record[off] = RowCodec.ROW;
        int h = off + 1;
        h += putVarInt(h, startLine);
        putVarInt(h, count);
        position = p;
        line = lines;
        utf8 = wellFormed;
        array = record;
        offset = off;
        length = w - off;
        fields = scanned;
        return 1;
    }

    /**
     * High bit set in each zero byte of {@code v}, exact for the lowest one (borrows only run upward,
     * so bytes above a zero byte may be flagged falsely; only the lowest is used).
     */
    private static long zeroByte(long v) {
        return (v - 0x0101010101010101L) & ~v & 0x8080808080808080L;
    }

    private int put(int at, byte value) {
        if (at >= record.length) {
            record = Arrays.copyOf(record, record.length * 2);
        }
        record[at] = value;
        return at + 1;
    }

    private void ensure(int size) {
        if (size > record.length) {
            record = Arrays.copyOf(record, Math.max(size, record.length * 2));
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

    /** Writes an unsigned LEB128 at {@code at}; returns its size. */
    private int putVarInt(int at, long value) {
        ensure(at + 10);
        int start = at;
        while ((value & ~0x7FL) != 0) {
            record[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        record[at++] = (byte) value;
        return at - start;
    }

    /** Keeps the unparsed bytes, reads more after them. */
    private void fill() throws IOException {
        if (eof) {
            return;
        }
        int unread = limit - position;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, unread);
        } else if (unread == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2); // one record larger than the buffer
        }
        position = 0;
        limit = unread;
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    @Override
    public void close() {
        end();
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
