package io.onramp.connect.source.file.read;

import static io.onramp.connect.source.file.read.FixedWidthFileReaderTest.readAll;
import static io.onramp.connect.source.file.read.FixedWidthFileReaderTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.schema.AvroSchemaMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema.Parser;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeaderTrailerReaderTest {

    private static final FixedWidthLayout LAYOUT = FixedWidthLayout.parse("id:1:3:int, name:4:10:string");
    private static final HeaderTrailerRules RULES = HeaderTrailerRules.of(1, "^TRL(\\d{9})", false);
    private static final Schema CONTRACT = AvroSchemaMapper.toConnectSchema(new Parser().parse("""
            {"type": "record", "name": "R", "fields": [
              {"name": "id", "type": "long"}, {"name": "name", "type": "string"}]}"""));

    @TempDir
    Path dir;

    @Test
    void skipsTheHeaderAndDropsATrailerWhoseCountMatches() throws IOException {
        Path file = write("a.txt", "HDR20240131\n001Ada       \n002Bob       \nTRL000000002\n");

        List<ReadResult> results = readAll(fixed(file, RULES));

        assertThat(results).extracting(r -> value(r).getString("name")).containsExactly("Ada", "Bob");
        assertThat(results).extracting(ReadResult::position).containsExactly(1L, 2L);
        assertThat(results).extracting(ReadResult::line).containsExactly(2L, 3L);
    }

    @Test
    void failsTheFileWhenTheTrailerCountDiffers() throws IOException {
        Path file = write("a.txt", "HDR\n001Ada       \n002Bob       \nTRL000000003\n");

        assertThatThrownBy(() -> readAll(fixed(file, RULES)))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessage("a.txt: the trailer on line 4 says 3 records but 2 were read");
    }

    @Test
    void countsMalformedRecordsAsRecordsRead() throws IOException {
        Path file = write("a.txt", "HDR\n001Ada       \nXYZBob       \nTRL000000002\n");

        List<ReadResult> results = readAll(fixed(file, RULES));

        assertThat(results.get(1)).isInstanceOf(ReadResult.Malformed.class);
        assertThat(results).hasSize(2);
    }

    @Test
    void matchesTheTrailerOnTheRawLineEvenWhenItParsesAsData() throws IOException {
        var layout = FixedWidthLayout.parse("code:1:3:string, name:4:9:string");
        Path file = write("a.txt", "001Ada      \nTRL000000001\n");

        var reader = HeaderTrailerRules.of(0, "^TRL(\\d{9})", true)
                .wrap(new FixedWidthFileReader(file, StandardCharsets.UTF_8, layout, 0), file);

        assertThat(readAll(reader)).extracting(r -> value(r).getString("code")).containsExactly("001");
    }

    @Test
    void passesTheLastRecordOnAsDataWhenItIsNoTrailerAndNoneIsRequired() throws IOException {
        Path file = write("a.txt", "HDR\n001Ada       \n002Bob       \n");

        assertThat(readAll(fixed(file, RULES))).hasSize(2);
    }

    @Test
    void failsATruncatedFileWhenATrailerIsRequired() throws IOException {
        Path file = write("a.txt", "HDR\n001Ada       \n002Bo");

        assertThatThrownBy(() -> readAll(fixed(file, HeaderTrailerRules.of(1, "^TRL(\\d{9})", true))))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("a.txt").hasMessageContaining("line 3").hasMessageContaining("truncated");
    }

    @Test
    void failsAFileWithOnlyAHeaderWhenATrailerIsRequired() throws IOException {
        Path file = write("a.txt", "HDR\n");

        assertThatThrownBy(() -> readAll(fixed(file, HeaderTrailerRules.of(1, "^TRL(\\d{9})", true))))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("no trailer");
    }

    @Test
    void acceptsATrailerCountingZeroRecords() throws IOException {
        Path file = write("a.txt", "HDR\nTRL000000000\n");

        assertThat(readAll(fixed(file, RULES))).isEmpty();
    }

    @Test
    void checksACsvTrailerThatHasFewerColumnsThanTheData() throws IOException {
        Path file = write("a.csv", "EXPORT 2024-01-31\n1,Ada\n2,Bob\nTRL,3\n");
        var rules = HeaderTrailerRules.of(1, "^TRL,(\\d+)$", false);

        assertThatThrownBy(() -> readAll(csv(file, rules)))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessage("a.csv: the trailer on line 4 says 3 records but 2 were read");
    }

    @Test
    void checksACsvTrailerThatParsesByItsFirstField() throws IOException {
        Path file = write("a.csv", "name\nAda\nBob\nTRL000000002\n");
        var rules = HeaderTrailerRules.of(0, "^TRL(\\d{9})", true);
        var reader = rules.wrap(new CsvFileReader(file, StandardCharsets.UTF_8, ',', '"', true, HeaderRowMapper.factory()), file);

        assertThat(readAll(reader)).extracting(r -> value(r).getString("name")).containsExactly("Ada", "Bob");
    }

    @Test
    void resumesAfterTheCommittedPositionCountingDataRecordsOnly() throws IOException {
        Path file = write("a.txt", "HDR\n001Ada       \n002Bob       \n003Cy        \nTRL000000003\n");

        try (var reader = fixed(file, RULES)) {
            reader.skipTo(2);
            ReadResult next = reader.next();
            assertThat(next.position()).isEqualTo(3);
            assertThat(value(next).getString("name")).isEqualTo("Cy");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void leavesTheReaderAloneWithoutRules() throws IOException {
        Path file = write("a.txt", "001Ada       \n");
        var reader = new FixedWidthFileReader(file, StandardCharsets.UTF_8, LAYOUT, 0);

        assertThat(HeaderTrailerRules.NONE.wrap(reader, file)).isSameAs(reader);
        reader.close();
    }

    @Test
    void rejectsATrailerPatternWithoutACountGroup() {
        assertThatThrownBy(() -> HeaderTrailerRules.trailerPatternValidator().ensureValid("trailer.pattern", "^TRL\\d+"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'trailer.pattern'").hasMessageContaining("group");
        assertThatThrownBy(() -> HeaderTrailerRules.of(0, "", true)).isInstanceOf(ConfigException.class);
    }

    private FileRecordReader fixed(Path file, HeaderTrailerRules rules) {
        return rules.wrap(new FixedWidthFileReader(file, StandardCharsets.UTF_8, LAYOUT, FixedWidthFileReader.LINE_TERMINATED), file);
    }

    private FileRecordReader csv(Path file, HeaderTrailerRules rules) {
        return rules.wrap(new CsvFileReader(file, StandardCharsets.UTF_8, ',', '"', false,
                ContractRowMapper.factory(CONTRACT)), file);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
