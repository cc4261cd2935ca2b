package io.onramp.connect.sink.snapshot.format;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvExportWriterTest {

    private static byte[] write(Charset charset, char delimiter, boolean crlf, List<String> columns, String... rows)
            throws Exception {
        var out = new ByteArrayOutputStream();
        var writer = new CsvExportWriter(out, charset, delimiter, true, crlf, columns);
        writer.begin();
        for (String row : rows) {
            writer.write(row);
        }
        writer.finish();
        assertThat(writer.rows()).isEqualTo(rows.length);
        return out.toByteArray();
    }

    @Test
    void writesHeaderAndColumnsInTheirOrderWithTheDelimiterAndCharset() throws Exception {
        Charset latin1 = StandardCharsets.ISO_8859_1;
        byte[] bytes = write(latin1, ';', false, List.of("id", "name", "balance", "note"),
                "{\"name\":\"Zoë; \\\"the\\\" best\",\"id\":1,\"balance\":12.50,\"extra\":{\"x\":1}}",
                "{\"id\":2,\"name\":\"\",\"balance\":-0.10,\"note\":null}");
        List<CsvRecord> records = CsvReader.builder().fieldSeparator(';')
                .ofCsvRecord(new String(bytes, latin1)).stream().toList();
        assertThat(records).extracting(CsvRecord::getFields).containsExactly(
                List.of("id", "name", "balance", "note"),
                List.of("1", "Zoë; \"the\" best", "12.50", ""),
                List.of("2", "", "-0.10", ""));
        // the Latin-1 byte of ë, not UTF-8's two bytes; LF line ends; the empty string quoted, the null not
        String text = new String(bytes, latin1);
        assertThat(bytes).contains((byte) 0xEB);
        assertThat(text).isEqualTo("id;name;balance;note\n1;\"Zoë; \"\"the\"\" best\";12.50;\n2;\"\";-0.10;\n");
    }

    @Test
    void writesNestedValuesAsJsonTextAndUsesCrlfWhenAsked() throws Exception {
        byte[] bytes = write(StandardCharsets.UTF_8, ',', true, List.of("id", "tags", "address"),
                "{\"id\":\"a\",\"tags\":[\"x\",\"y\"],\"address\":{\"city\":\"Köln\"}}");
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("id,tags,address\r\na,\"[\"\"x\"\",\"\"y\"\"]\",\"{\"\"city\"\":\"\"Köln\"\"}\"\r\n");
    }

    @Test
    void unencodableCharactersBecomeTheReplacementCharacter() throws Exception {
        byte[] bytes = write(Charset.forName("US-ASCII"), ',', false, List.of("name"), "{\"name\":\"東京\"}");
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("name\n??\n");
    }
}
