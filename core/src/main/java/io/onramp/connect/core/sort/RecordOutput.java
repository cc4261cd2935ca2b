package io.onramp.connect.core.sort;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/** Buffers record bytes into large writes; not synchronized, unlike BufferedOutputStream. */
final class RecordOutput implements Closeable {

    private final OutputStream out;
    private final byte[] buffer;
    private int length;

    RecordOutput(OutputStream out, int bufferSize) {
        this.out = out;
        this.buffer = new byte[bufferSize];
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len > buffer.length - length) {
            flushBuffer();
            if (len >= buffer.length) {
                out.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buffer, length, len);
        length += len;
    }

    void write(int b) throws IOException {
        if (length == buffer.length) {
            flushBuffer();
        }
        buffer[length++] = (byte) b;
    }

    /** Writes out what is buffered and flushes the stream. */
    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    private void flushBuffer() throws IOException {
        if (length > 0) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flushBuffer();
        } finally {
            out.close();
        }
    }
}
