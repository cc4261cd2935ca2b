package io.onramp.connect.sink.snapshot.format;

import java.io.IOException;

/**
 * Writes the rows of one snapshot, in key order, in one file format. A row arrives as the JSON object the store
 * keeps (a flat or nested object of JSON values); the writer owns how it looks in the file.
 */
public interface ExportWriter {

    /** Writes whatever comes before the rows (a header, an Avro container header). */
    void begin() throws IOException;

    void write(String rowJson) throws IOException;

    /** Writes whatever ends the file and flushes; the stream stays open for the caller to publish. */
    void finish() throws IOException;

    long rows();
}
