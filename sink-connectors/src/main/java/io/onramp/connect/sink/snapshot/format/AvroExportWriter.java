package io.onramp.connect.sink.snapshot.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;

/**
 * An Avro object container file with the contract's schema, readable by any Avro tool ({@code DataFileReader},
 * avro-tools, Spark, ...). The writer's schema carries the contract's product properties, and the file's
 * metadata names the contract's fingerprint and version.
 */
public final class AvroExportWriter implements ExportWriter {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final OutputStream out;
    private final Schema schema;
    private final Map<String, String> metadata;
    private final AvroRows rowsToAvro;
    private final DataFileWriter<Object> writer = new DataFileWriter<>(new GenericDatumWriter<>());
    private long rows;

    /** @param codec {@code null} or {@code deflate} */
    public AvroExportWriter(OutputStream out, Schema schema, String codec, Map<String, String> metadata) {
        this.out = out;
        this.schema = schema;
        this.metadata = Map.copyOf(metadata);
        this.rowsToAvro = new AvroRows(schema);
        writer.setCodec("deflate".equals(codec) ? CodecFactory.deflateCodec(6) : CodecFactory.nullCodec());
    }

    @Override
    public void begin() throws IOException {
        metadata.forEach(writer::setMeta);
        writer.create(schema, out);
    }

    @Override
    public void write(String rowJson) throws IOException {
        JsonNode row = JSON.readTree(rowJson);
        writer.append(rowsToAvro.record(row));
        rows++;
    }

    @Override
    public void finish() throws IOException {
        writer.flush();
    }

    @Override
    public long rows() {
        return rows;
    }
}
