package io.onramp.connect.source.file.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixedWidthFileReaderTest {

    private static final FixedWidthLayout LAYOUT = FixedWidthLayout.parse(FixedWidthLayoutTest.ACCOUNTS);
    private static final String ADA = "000042Ada Lovelace        00001234520240131";
    private static final String BOB = "000043Bob                 00000010020240201";

    @TempDir
    Path dir;

    @Test
    void readsOneRecordPerLineWithLfOrCrLfAndSkipsEmptyLines() throws IOException {
        Path file = write("a.txt", ADA + "\r\n\n" + BOB + "\n");

        List<ReadResult> results = readAll(file, StandardCharsets.UTF_8, FixedWidthFileReader.LINE_TERMINATED);

        assertThat(results).allMatch(r -> r instanceof ReadResult.Parsed);
        assertThat(results).extracting(ReadResult::position).containsExactly(1L, 2L);
        assertThat(results).extracting(ReadResult::line).containsExactly(1L, 3L);
        assertThat(value(results.get(1)).getString("name")).isEqualTo("Bob");
        assertThat(value(results.get(1)).get("balance")).isEqualTo(new BigDecimal("1.00"));
    }

    @Test
    void reportsATruncatedLastLineNamingTheColumnAndTheLengths() throws IOException {
        Path file = write("a.txt", ADA + "\n" + BOB.substring(0, 30));

        List<ReadResult> results = readAll(file, StandardCharsets.UTF_8, FixedWidthFileReader.LINE_TERMINATED);

        assertThat(results.get(1)).isInstanceOfSatisfying(ReadResult.Malformed.class, bad -> {
            assertThat(bad.line()).isEqualTo(2);
            assertThat(bad.raw()).isEqualTo(BOB.substring(0, 30));
            assertThat(bad.reason()).isEqualTo("the record is 30 characters long but the layout needs 43; column "
                    + "'balance' (characters 27-35) is cut short or missing (truncated line?)");
        });
    }

    @Test
    void reportsAnUnparseableNumberNamingTheFieldAndQuotingTheText() throws IOException {
        Path file = write("a.txt", "00A042" + ADA.substring(6) + "\n" + BOB + "\n");

        List<ReadResult> results = readAll(file, StandardCharsets.UTF_8, FixedWidthFileReader.LINE_TERMINATED);

        assertThat(results.get(0)).isInstanceOfSatisfying(ReadResult.Malformed.class,
                bad -> assertThat(bad.reason()).isEqualTo("Field 'id' is not a valid INT64 (rule type)"));
        assertThat(results.get(1)).isInstanceOf(ReadResult.Parsed.class);
    }

    @Test
    void reportsAnUnparseableDateNamingTheFieldAndPattern() throws IOException {
        Path file = write("a.txt", ADA.substring(0, 35) + "2024-1-1");

        ReadResult result = readAll(file, StandardCharsets.UTF_8, FixedWidthFileReader.LINE_TERMINATED).get(0);

        assertThat(result).isInstanceOfSatisfying(ReadResult.Malformed.class, bad -> assertThat(bad.reason())
                .isEqualTo("Field 'opened' is not a valid date of pattern yyyyMMdd (rule type)"));
    }

    @Test
    void reportsAnEmptyRequiredKeyFieldNamingIt() throws IOException {
        Path file = write("a.txt", "      " + ADA.substring(6));

        ReadResult result = readAll(file, StandardCharsets.UTF_8, FixedWidthFileReader.LINE_TERMINATED).get(0);

        assertThat(result).isInstanceOfSatisfying(ReadResult.Malformed.class,
                bad -> assertThat(bad.reason()).isEqualTo("Field 'id' is required but empty"));
    }

    @Test
    void readsFixedLengthRecordsWithoutTerminatorsAndReportsATruncatedLastRecord() throws IOException {
        Path file = write("a.dat", ADA + "  " + BOB + "  " + ADA.substring(0, 10));

        List<ReadResult> results = readAll(file, StandardCharsets.UTF_8, 45);

        assertThat(results).hasSize(3);
        assertThat(value(results.get(1)).getInt64("id")).isEqualTo(43L);
        assertThat(results.get(2)).isInstanceOfSatisfying(ReadResult.Malformed.class, bad -> {
            assertThat(bad.line()).isEqualTo(3);
            assertThat(bad.reason()).contains("10 characters").contains("45").contains("truncated");
        });
    }

    @Test
    void rejectsARecordLengthShorterThanTheLayout() throws IOException {
        Path file = write("a.dat", ADA);

        assertThatThrownBy(() -> readAll(file, StandardCharsets.UTF_8, 40))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("a.dat").hasMessageContaining("43");
    }

    @Test
    void ignoresAByteOrderMarkAndCharactersBeyondTheLastColumn() throws IOException {
        Path file = write("a.txt", "\uFEFF" + ADA + "FILLER\n");

        ReadResult result = readAll(file, StandardCharsets.UTF_8, FixedWidthFileReader.LINE_TERMINATED).get(0);

        assertThat(value(result).getInt64("id")).isEqualTo(42L);
    }

    @Test
    void resumesAfterTheCommittedPosition() throws IOException {
        Path file = write("a.txt", ADA + "\n" + BOB + "\n" + ADA + "\n");

        try (var reader = new FixedWidthFileReader(file, StandardCharsets.UTF_8, LAYOUT, FixedWidthFileReader.LINE_TERMINATED)) {
            reader.skipTo(1);
            ReadResult next = reader.next();
            assertThat(next.position()).isEqualTo(2);
            assertThat(value(next).getString("name")).isEqualTo("Bob");
        }
    }

    @Test
    void emptyFileHasNoRecords() throws IOException {
        assertThat(readAll(write("a.txt", ""), StandardCharsets.UTF_8, FixedWidthFileReader.LINE_TERMINATED)).isEmpty();
    }

    static Struct value(ReadResult result) {
        assertThat(result).isInstanceOf(ReadResult.Parsed.class);
        return (Struct) ((ReadResult.Parsed) result).value();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    static List<ReadResult> readAll(FileRecordReader reader) {
        var results = new ArrayList<ReadResult>();
        try (reader) {
            ReadResult result;
            while ((result = reader.next()) != null) {
                results.add(result);
            }
        }
        return results;
    }

    private static List<ReadResult> readAll(Path file, Charset charset, int recordLength) {
        return readAll(new FixedWidthFileReader(file, charset, LAYOUT, recordLength));
    }
}
