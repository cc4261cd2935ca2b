package io.onramp.connect.source.file.read;

import java.io.Closeable;

/** Reads the records of one input file in order. */
public interface FileRecordReader extends Closeable {

    /**
     * The next record, or null at the end of the file.
     *
     * @throws UnreadableFileException when the file as a whole cannot be read on (bad bytes for the charset,
     *     an unterminated quote, a bad header): the file goes to the error directory
     */
    ReadResult next();

    /** The schema of the values, when the reader knows it before the first record (CSV does); else null. */
    default org.apache.kafka.connect.data.Schema schema() {
        return null;
    }

    @Override
    void close();

    /** Reads and discards records up to and including {@code position}, to resume after a restart. */
    default void skipTo(long position) {
        ReadResult result;
        long skipped = 0;
        while (skipped < position && (result = next()) != null) {
            skipped = result.position();
        }
    }
}
