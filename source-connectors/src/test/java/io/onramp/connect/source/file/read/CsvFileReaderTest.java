package io.onramp.connect.source.file.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.schema.AvroSchemaMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema.Parser;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileReaderTest {

    private static final Schema CONTRACT = AvroSchemaMapper.toConnectSchema(new Parser().parse("""
            {"type": "record", "name": "Account", "fields": [
              {"name": "id", "type": "long"},
              {"name": "owner", "type": "string"},
              {"name": "balance", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
              {"name": "note", "type": ["null", "string"], "default": null}
            ]}"""));

    @TempDir
    Path dir;

    @Test
    void readsQuotedFieldsWithDelimitersQuotesAndNewlinesPerRfc4180() throws IOException {
        Path file = write("a.csv", "name,comment\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"multi\nline\",x\n", StandardCharsets.UTF_8);

        List<ReadResult> results = readAll(file, ',', true, HeaderRowMapper.factory());

        assertThat(results).allMatch(result -> result instanceof ReadResult.Parsed);
        Struct first = (Struct) ((ReadResult.Parsed) results.get(0)).value();
        assertThat(first.getString("name")).isEqualTo("Smith, J");
        assertThat(first.getString("comment")).isEqualTo("said \"hi\"");
        Struct second = (Struct) ((ReadResult.Parsed) results.get(1)).value();
        assertThat(second.getString("name")).isEqualTo("multi\nline");
        assertThat(results.get(1).line()).isEqualTo(3);
        assertThat(results).extracting(ReadResult::position).containsExactly(1L, 2L);
    }

    @Test
    void infersOptionalStringFieldsFromTheHeader() throws IOException {
        Path file = write("a.csv", "\uFEFFid;name\n1;Ada\n", StandardCharsets.UTF_8);

        Struct value = (Struct) ((ReadResult.Parsed) readAll(file, ';', true, HeaderRowMapper.factory()).get(0)).value();

        assertThat(value.schema().fields()).extracting(field -> field.name()).containsExactly("id", "name");
        assertThat(value.schema().field("id").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(value.get("id")).isEqualTo("1");
    }

    @Test
    void typesValuesByTheContractAndMatchesColumnsByHeaderName() throws IOException {
        Path file = write("a.csv", "balance,owner,id\n12.50,Ada,7\n", StandardCharsets.UTF_8);

        Struct value = (Struct) ((ReadResult.Parsed) readAll(file, ',', true, ContractRowMapper.factory(CONTRACT)).get(0)).value();

        assertThat(value.getInt64("id")).isEqualTo(7L);
        assertThat(value.get("balance")).isEqualTo(new BigDecimal("12.50"));
        assertThat(value.getString("note")).isNull();
    }

    @Test
    void takesColumnsInContractOrderWithoutAHeader() throws IOException {
        Path file = write("a.csv", "7,Ada,1.00,hello\n", StandardCharsets.UTF_8);

        Struct value = (Struct) ((ReadResult.Parsed) readAll(file, ',', false, ContractRowMapper.factory(CONTRACT)).get(0)).value();

        assertThat(value.getString("note")).isEqualTo("hello");
    }

    @Test
    void reportsWrongColumnCountAsABadRecordAndReadsOn() throws IOException {
        Path file = write("a.csv", "id,owner,balance\n1,Ada\n2,Bob,3.00\n", StandardCharsets.UTF_8);

        List<ReadResult> results = readAll(file, ',', true, ContractRowMapper.factory(CONTRACT));

        assertThat(results.get(0)).isInstanceOfSatisfying(ReadResult.Malformed.class, bad -> {
            assertThat(bad.reason()).isEqualTo("expected 3 columns but found 2");
            assertThat(bad.raw()).isEqualTo("1,Ada");
            assertThat(bad.line()).isEqualTo(2);
        });
        assertThat(results.get(1)).isInstanceOf(ReadResult.Parsed.class);
    }

    @Test
    void reportsAValueThatDoesNotFitTheContractNamingTheField() throws IOException {
        Path file = write("a.csv", "id,owner,balance\nseven,Ada,1.00\n", StandardCharsets.UTF_8);

        ReadResult result = readAll(file, ',', true, ContractRowMapper.factory(CONTRACT)).get(0);

        assertThat(result).isInstanceOfSatisfying(ReadResult.Malformed.class,
                bad -> assertThat(bad.reason()).contains("'id'").contains("rule type").doesNotContain("seven"));
    }

    @Test
    void rejectsAHeaderThatLacksARequiredContractField() throws IOException {
        Path file = write("a.csv", "id,balance\n1,1.00\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> readAll(file, ',', true, ContractRowMapper.factory(CONTRACT)))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("owner");
    }

    @Test
    void rejectsBytesThatAreNotValidInTheCharset() throws IOException {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, "name\nJos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> readAll(file, ',', true, HeaderRowMapper.factory()))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void decodesLegacyCharsets() throws IOException {
        Path file = write("latin1.csv", "name\nJos\u00e9\n", StandardCharsets.ISO_8859_1);

        List<ReadResult> results = new ArrayList<>();
        try (var reader = new CsvFileReader(file, StandardCharsets.ISO_8859_1, ',', '"', true, HeaderRowMapper.factory())) {
            results.add(reader.next());
        }
        assertThat(((Struct) ((ReadResult.Parsed) results.get(0)).value()).getString("name")).isEqualTo("Jos\u00e9");
    }

    @Test
    void rejectsAnUnterminatedQuoteAsATruncatedFile() throws IOException {
        Path file = write("a.csv", "name\nok\n\"never closed\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> readAll(file, ',', true, HeaderRowMapper.factory()))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("a.csv");
    }

    @Test
    void resumesAfterTheCommittedPosition() throws IOException {
        Path file = write("a.csv", "n\n1\n2\n3\n", StandardCharsets.UTF_8);

        try (var reader = new CsvFileReader(file, StandardCharsets.UTF_8, ',', '"', true, HeaderRowMapper.factory())) {
            reader.skipTo(2);
            ReadResult next = reader.next();
            assertThat(next.position()).isEqualTo(3);
            assertThat(((Struct) ((ReadResult.Parsed) next).value()).getString("n")).isEqualTo("3");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void emptyFileHasNoRecords() throws IOException {
        Path file = write("a.csv", "", StandardCharsets.UTF_8);

        assertThat(readAll(file, ',', true, HeaderRowMapper.factory())).isEmpty();
    }

    @Test
    void canonicalTextsAreTheStructsTextsWithTheSameBadRows() throws IOException {
        Schema typed = AvroSchemaMapper.toConnectSchema(new Parser().parse("""
                {"type": "record", "name": "Typed", "fields": [
                  {"name": "id", "type": "long"},
                  {"name": "name", "type": "string"},
                  {"name": "nick", "type": ["null", "string"], "default": null},
                  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}},
                  {"name": "seen", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "born", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null},
                  {"name": "count", "type": "int", "default": 7},
                  {"name": "ok", "type": "boolean"}
                ]}"""));
        String rows = """
                id,name,nick,amount,seen,born,count,ok
                1,Ann,,12.5,2024-06-01T02:00:00Z,2000-02-29,3,true
                +02,"Bob, Jr.",B,0012.500,2024-06-01T02:00:00.120Z,,,false
                3,,,1,2024-06-01T04:00:00+02:00,1999-12-31, 4 ,TRUE
                x4,Dan,,1,2024-06-01T02:00:00Z,,,true
                5,Eve,,1.234,2024-06-01T02:00:00Z,,,true
                6,Fay,,99999.99,2024-06-01T02:00:00Z,,,true
                7,Gus,,123456,2024-06-01T02:00:00Z,,,true
                8,Hal,,1,yesterday,,,true
                9,Ivy,,1,2024-06-01T02:00:00Z,2024-13-01,,true
                10,Jo,,1,2024-06-01T02:00:00Z,,,maybe
                ,Kim,,1,2024-06-01T02:00:00Z,,,true
                12,Lu,,,2024-06-01T02:00:00Z,,,true
                13,Max,,1,2024-06-01T02:00:00Z,,,true,extra
                14,Ned
                """;
        Path file = write("typed.csv", rows, StandardCharsets.UTF_8);
        assertSameTexts(file, ContractRowMapper.factory(typed), typed);
        // Without the optional and defaulted columns: absent fields take Struct's rules.
        Path partial = write("partial.csv", "id,name,amount,seen,ok\n1,Ann,12.5,2024-06-01T02:00:00Z,true\n"
                + "x,Bob,1,2024-06-01T02:00:00Z,true\n", StandardCharsets.UTF_8);
        assertSameTexts(partial, ContractRowMapper.factory(typed), typed);
        assertSameTexts(file, HeaderRowMapper.factory(), null);
    }

    private static void assertSameTexts(Path file, CsvRowMapper.Factory mappers, Schema contract) {
        try (var structs = new CsvFileReader(file, StandardCharsets.UTF_8, ',', '"', true, mappers);
             var texts = new CsvFileReader(file, StandardCharsets.UTF_8, ',', '"', true, mappers)) {
            var text = new io.onramp.connect.core.change.FlatStructText(structs.schema());
            var textOfTexts = new io.onramp.connect.core.change.FlatStructText(texts.schema());
            int parsed = 0;
            int malformed = 0;
            for (ReadResult expected; (expected = structs.next()) != null; ) {
                ReadResult actual = texts.nextTexts(textOfTexts);
                if (expected instanceof ReadResult.Parsed row) {
                    parsed++;
                    assertThat(actual).isEqualTo(new ReadResult.Parsed(row.position(), row.line(),
                            text.toTexts((Struct) row.value())));
                } else {
                    malformed++;
                    assertThat(actual).isEqualTo(expected);
                }
            }
            assertThat(texts.nextTexts(textOfTexts)).isNull();
            assertThat(parsed).isPositive();
            assertThat(malformed).isEqualTo(contract == null ? 2 : file.getFileName().toString().startsWith("partial") ? 1 : 11);
        }
    }

    private Path write(String name, String text, Charset charset) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, charset);
        return file;
    }

    private static List<ReadResult> readAll(Path file, char delimiter, boolean header, CsvRowMapper.Factory mappers) {
        var results = new ArrayList<ReadResult>();
        try (var reader = new CsvFileReader(file, StandardCharsets.UTF_8, delimiter, '"', header, mappers)) {
            ReadResult result;
            while ((result = reader.next()) != null) {
                results.add(result);
            }
        }
        return results;
    }
}
