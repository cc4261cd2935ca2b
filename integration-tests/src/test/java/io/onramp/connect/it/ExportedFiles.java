package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * The snapshot export sink's output read back by independent readers (FastCSV, Jackson, Avro's DataFileReader),
 * each row brought to {@link CustomerProduct.Customer#canonical()} form, and its manifest checked against the bytes.
 */
final class ExportedFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportedFiles() {
    }

    /** An export file with its manifest, checked: SHA-256, size and row count recomputed here. */
    record Export(Path file, JsonNode manifest, List<Map<String, String>> rows) {

        Map<Integer, Long> nextOffsets() {
            var offsets = new TreeMap<Integer, Long>();
            manifest.path("partitions").forEach(p -> offsets.put(p.path("partition").asInt(), p.path("next_offset").asLong()));
            return offsets;
        }

        /** The rows by id; fails on a doubled key. */
        Map<Long, Map<String, String>> state() {
            var state = new TreeMap<Long, Map<String, String>>();
            for (Map<String, String> row : rows) {
                assertThat(state.put(Long.parseLong(row.get("id")), row)).as("key %s twice in %s", row.get("id"), file)
                        .isNull();
            }
            return state;
        }

        boolean covers(Map<Integer, Long> ends) {
            var offsets = nextOffsets();
            return ends.entrySet().stream().allMatch(e -> offsets.getOrDefault(e.getKey(), 0L).equals(e.getValue()));
        }
    }

    /**
     * Whether some manifest in {@code dir} claims exactly {@code ends}: reads manifests only, cheap enough to poll.
     * The files themselves are checked by {@link #all}.
     */
    static boolean anyCovers(Path dir, Map<Integer, Long> ends) {
        try (var files = Files.list(dir)) {
            for (Path manifestFile : files.filter(f -> f.getFileName().toString().endsWith(".manifest.json")).toList()) {
                JsonNode manifest;
                try {
                    manifest = JSON.readTree(manifestFile.toFile());
                } catch (IOException e) {
                    continue; // replaced while listed
                }
                if (new Export(manifestFile, manifest, List.of()).covers(ends)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every export in {@code dir} whose manifest is in place, in file name order. */
    static List<Export> all(Path dir, String format, Charset csvCharset, char csvDelimiter) {
        var exports = new ArrayList<Export>();
        try (var files = Files.list(dir)) {
            for (Path manifestFile : files.filter(f -> f.getFileName().toString().endsWith(".manifest.json")).sorted().toList()) {
                JsonNode manifest = JSON.readTree(manifestFile.toFile());
                Path file = dir.resolve(manifest.path("file").asText());
                byte[] bytes = Files.readAllBytes(file);
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
                        .as("SHA-256 of %s", file).isEqualTo(manifest.path("sha256").asText());
                assertThat((long) bytes.length).as("size of %s", file).isEqualTo(manifest.path("bytes").asLong());
                List<Map<String, String>> rows = switch (format) {
                    case "csv" -> csv(bytes, csvCharset, csvDelimiter);
                    case "jsonl" -> jsonLines(bytes);
                    case "avro" -> avro(file);
                    default -> throw new IllegalArgumentException(format);
                };
                assertThat((long) rows.size()).as("row count of %s", file).isEqualTo(manifest.path("rows").asLong());
                exports.add(new Export(file, manifest, rows));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return exports;
    }

    private static List<Map<String, String>> csv(byte[] bytes, Charset charset, char delimiter) throws IOException {
        List<CsvRecord> records = CsvReader.builder().fieldSeparator(delimiter).ofCsvRecord(new String(bytes, charset))
                .stream().toList();
        assertThat(records.get(0).getFields()).containsExactly(CustomerProduct.COLUMNS);
        var rows = new ArrayList<Map<String, String>>();
        for (CsvRecord record : records.subList(1, records.size())) {
            var row = new LinkedHashMap<String, String>();
            for (int i = 0; i < CustomerProduct.COLUMNS.length; i++) {
                String text = record.getField(i);
                row.put(CustomerProduct.COLUMNS[i], text.isEmpty() ? null : text);
            }
            canonicalize(row);
            rows.add(row);
        }
        return rows;
    }

    private static List<Map<String, String>> jsonLines(byte[] bytes) throws IOException {
        var rows = new ArrayList<Map<String, String>>();
        for (String line : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            var row = new LinkedHashMap<String, String>();
            for (String column : CustomerProduct.COLUMNS) {
                JsonNode value = node.get(column);
                row.put(column, value == null || value.isNull() ? null : value.isNumber() ? value.decimalValue().toPlainString() : value.asText());
            }
            canonicalize(row);
            rows.add(row);
        }
        return rows;
    }

    private static List<Map<String, String>> avro(Path file) throws IOException {
        var rows = new ArrayList<Map<String, String>>();
        try (var reader = new DataFileReader<GenericRecord>(file.toFile(), new GenericDatumReader<>())) {
            for (GenericRecord record : reader) {
                var row = new LinkedHashMap<String, String>();
                row.put("id", record.get("id").toString());
                row.put("name", record.get("name").toString());
                row.put("email", record.get("email") == null ? null : record.get("email").toString());
                row.put("birth_date", record.get("birth_date") == null ? null
                        : LocalDate.ofEpochDay((Integer) record.get("birth_date")).toString());
                var balance = (ByteBuffer) record.get("balance");
                var unscaled = new byte[balance.remaining()];
                balance.duplicate().get(unscaled);
                row.put("balance", new BigDecimal(new BigInteger(unscaled), 2).toPlainString());
                row.put("status", record.get("status").toString());
                row.put("signed_up", record.get("signed_up").toString());
                rows.add(row);
            }
        }
        return rows;
    }

    /** Text forms to the canonical ones: balance with two decimals, instants as epoch millis. */
    private static void canonicalize(Map<String, String> row) {
        row.computeIfPresent("balance", (k, v) -> new BigDecimal(v).setScale(2).toPlainString());
        row.computeIfPresent("signed_up", (k, v) -> Long.toString(Instant.parse(v).toEpochMilli()));
        row.computeIfPresent("id", (k, v) -> new BigDecimal(v).toBigIntegerExact().toString());
    }
}
