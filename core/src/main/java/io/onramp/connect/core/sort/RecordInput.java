package io.onramp.connect.core.sort;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads {@link RowCodec} records from a stream into one large buffer, located but not decoded. */
final class RecordInput implements Closeable {

    private final InputStream in;
    private final String source;
    private final RowCodec.Fields fields = new RowCodec.Fields();
    private byte[] buffer;
    private int position;
    private int limit;
    private boolean eof;
    private boolean ended;
    int recordOffset;
    int recordLength;

    RecordInput(InputStream in, String source, int bufferSize) {
        this.in = in;
        this.source = source;
        this.buffer = new byte[bufferSize];
    }

    byte[] array() {
        return buffer;
    }

    RowCodec.Fields fields() {
        return fields;
    }

    /** Moves to the next record; false at the END marker. */
    boolean next() throws IOException {
        if (ended) {
            return false;
        }
        while (true) {
            if (position < limit) {
                int tag = buffer[position];
                if (tag == RowCodec.END) {
                    ended = true;
                    return false;
                }
                if (tag != RowCodec.ROW) {
                    throw new IOException(source + " is corrupt: unexpected record tag " + tag);
                }
                int end = fields.scan(buffer, position, limit);
                if (end >= 0) {
                    recordOffset = position;
                    recordLength = end - position;
                    position = end;
                    return true;
                }
            }
            if (!fill()) {
                throw new EOFException(source + " ends before its end marker; it was cut short (crash or full disk?)");
            }
        }
    }

    /** Keeps the unread bytes, reads more after them; false when the stream has nothing more. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int unread = limit - position;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, unread);
        } else if (unread == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2); // a record larger than the buffer
        }
        position = 0;
        limit = unread;
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
