package io.onramp.connect.sink.snapshot.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** One JSON object per line, UTF-8, LF-terminated (jsonlines.org): the stored rows as they are. */
public final class JsonLinesExportWriter implements ExportWriter {

    private final OutputStream out;
    private long rows;

    public JsonLinesExportWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void begin() {
    }

    @Override
    public void write(String rowJson) throws IOException {
        out.write(rowJson.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        rows++;
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }

    @Override
    public long rows() {
        return rows;
    }
}
