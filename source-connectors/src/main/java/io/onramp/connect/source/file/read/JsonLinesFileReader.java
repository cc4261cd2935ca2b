package io.onramp.connect.source.file.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.connect.core.schema.JsonValueConverter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * Reads a JSON Lines file: one JSON object per line, blank lines ignored. With a contract schema, values are
 * Structs typed by it; without, schemaless maps.
 */
public final class JsonLinesFileReader implements FileRecordReader {

    // BigDecimal for floats, so a decimal field keeps every digit the file had.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int MAX_RAW_LENGTH = 64 * 1024;

    private final Path file;
    private final Charset charset;
    private final BufferedReader lines;
    private final Schema schema;
    private final JsonValueConverter converter;
    private long position;
    private long lineNumber;

    JsonLinesFileReader(Path file, Charset charset, Schema schema) {
        this.file = file;
        this.charset = charset;
        this.lines = (BufferedReader) InputDecoding.open(file, charset);
        this.schema = schema;
        this.converter = schema == null ? null : new JsonValueConverter();
    }

    @Override
    public ReadResult next() {
        String line;
        do {
            line = readLine();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        position++;
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                return malformed(line, "the line is not a JSON object");
            }
            Object value = schema == null ? JsonValueConverter.toSchemaless(node) : converter.toStruct(node, schema);
            return new ReadResult.Parsed(position, lineNumber, value);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the offending token, which is data: name the column only.
            var at = e.getLocation();
            return malformed(line, "invalid JSON" + (at == null ? "" : " at column " + at.getColumnNr()) + " (rule json)");
        } catch (DataException e) {
            return malformed(line, e.getMessage());
        }
    }

    private ReadResult malformed(String line, String reason) {
        String raw = line.length() > MAX_RAW_LENGTH ? line.substring(0, MAX_RAW_LENGTH) : line;
        return new ReadResult.Malformed(position, lineNumber, raw, reason);
    }

    private String readLine() {
        try {
            String line = lines.readLine();
            if (line != null) {
                lineNumber++;
            }
            return line;
        } catch (IOException e) {
            throw InputDecoding.failure(file, lineNumber + 1, e, charset);
        }
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
