package io.onramp.connect.core.sort;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Buffers record bytes into large writes to a file; not synchronized, unlike BufferedOutputStream. The buffer is
 * off the heap, so each write goes from it to the file as it is: a heap buffer would be copied once more, into
 * the JDK's temporary direct buffer (or, for a FileOutputStream, a native one), on every write.
 */
final class RecordOutput implements Closeable {

    private final FileChannel out;
    private final ByteBuffer buffer;

    RecordOutput(FileChannel out, int bufferSize) {
        this.out = out;
        this.buffer = ByteBuffer.allocateDirect(bufferSize);
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len > buffer.remaining()) {
            flushBuffer();
            if (len > buffer.capacity()) {
                var large = ByteBuffer.wrap(b, off, len); // larger than the buffer: as it is
                while (large.hasRemaining()) {
                    out.write(large);
                }
                return;
            }
        }
        buffer.put(b, off, len);
    }

    void write(int b) throws IOException {
        if (!buffer.hasRemaining()) {
            flushBuffer();
        }
        buffer.put((byte) b);
    }

    /** Writes out what is buffered. */
    void flush() throws IOException {
        flushBuffer();
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
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
