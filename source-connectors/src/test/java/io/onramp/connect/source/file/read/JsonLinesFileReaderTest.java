package io.onramp.connect.source.file.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.core.schema.AvroSchemaMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema.Parser;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileReaderTest {

    private static final Schema CONTRACT = AvroSchemaMapper.toConnectSchema(new Parser().parse("""
            {"type": "record", "name": "Order", "fields": [
              {"name": "id", "type": "long"},
              {"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
              {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
                {"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}}
            ]}"""));

    @TempDir
    Path dir;

    @Test
    void typesNestedObjectsByTheContractAndKeepsDecimalDigits() throws IOException {
        Path file = write("""
                {"id": 1, "total": 10.10, "lines": [{"sku": "A", "qty": 2}]}
                """);

        Struct order = (Struct) ((ReadResult.Parsed) readAll(file, CONTRACT).get(0)).value();

        assertThat(order.get("total")).isEqualTo(new BigDecimal("10.10"));
        assertThat(((Struct) order.getArray("lines").get(0)).getInt32("qty")).isEqualTo(2);
    }

    @Test
    void reportsInvalidJsonAndMissingRequiredFieldsAsBadRecordsAndReadsOn() throws IOException {
        Path file = write("""
                {"id": 1, "total": 1, "lines": []}
                {"id": 2, "total":
                [1, 2]
                {"id": 4, "lines": []}
                {"id": 5, "total": 5, "lines": []}
                """);

        List<ReadResult> results = readAll(file, CONTRACT);

        assertThat(results).extracting(ReadResult::position).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(results.get(1)).isInstanceOfSatisfying(ReadResult.Malformed.class, bad -> {
            assertThat(bad.reason()).startsWith("invalid JSON");
            assertThat(bad.raw()).isEqualTo("{\"id\": 2, \"total\":");
            assertThat(bad.line()).isEqualTo(2);
        });
        assertThat(results.get(2)).isInstanceOfSatisfying(ReadResult.Malformed.class,
                bad -> assertThat(bad.reason()).isEqualTo("the line is not a JSON object"));
        assertThat(results.get(3)).isInstanceOfSatisfying(ReadResult.Malformed.class,
                bad -> assertThat(bad.reason()).contains("total"));
        assertThat(results.get(4)).isInstanceOf(ReadResult.Parsed.class);
    }

    @Test
    void withoutAContractValuesAreSchemalessMapsAndBlankLinesAreIgnored() throws IOException {
        Path file = write("{\"a\": {\"b\": [1, \"x\"]}}\n\n   \n{\"a\": null}\n");

        List<ReadResult> results = readAll(file, null);

        assertThat(results).hasSize(2);
        assertThat(((ReadResult.Parsed) results.get(0)).value()).isInstanceOf(Map.class);
        assertThat(results.get(1).line()).isEqualTo(4);
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, text);
        return file;
    }

    private static List<ReadResult> readAll(Path file, Schema schema) {
        var results = new ArrayList<ReadResult>();
        try (var reader = new JsonLinesFileReader(file, StandardCharsets.UTF_8, schema)) {
            ReadResult result;
            while ((result = reader.next()) != null) {
                results.add(result);
            }
        }
        return results;
    }
}
