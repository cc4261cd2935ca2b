package io.onramp.connect.source.file.read;

import static io.onramp.connect.source.file.read.FixedWidthFileReaderTest.readAll;
import static io.onramp.connect.source.file.read.FixedWidthFileReaderTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixed-width and CSV files in the charsets legacy systems export: decoded exactly, or reported. */
class LegacyCharsetTest {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Charset IBM037 = Charset.forName("IBM037");
    private static final FixedWidthLayout LAYOUT = FixedWidthLayout.parse("id:1:3:int, name:4:10:string");

    @TempDir
    Path dir;

    @Test
    void fixedWidthDecodesIso88591() throws IOException {
        Path file = write("a.txt", "001Jos\u00e9      \n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(names(readFixed(file, StandardCharsets.ISO_8859_1, FixedWidthFileReader.LINE_TERMINATED)))
                .containsExactly("Jos\u00e9");
    }

    @Test
    void fixedWidthDecodesTheWindows1252EuroSign() throws IOException {
        byte[] bytes = "001\u20ac5        \n".getBytes(WINDOWS_1252);
        assertThat(bytes[3]).isEqualTo((byte) 0x80);

        assertThat(names(readFixed(write("a.txt", bytes), WINDOWS_1252, FixedWidthFileReader.LINE_TERMINATED)))
                .containsExactly("\u20ac5");
    }

    @Test
    void fixedWidthReadsEbcdicLinesEndedByNel() throws IOException {
        byte[] bytes = "001M\u00fcller    \u0085002Smith     \u0085".getBytes(IBM037);
        assertThat(bytes[13]).isEqualTo((byte) 0x15); // EBCDIC's newline byte

        List<ReadResult> results = readFixed(write("a.txt", bytes), IBM037, FixedWidthFileReader.LINE_TERMINATED);

        assertThat(names(results)).containsExactly("M\u00fcller", "Smith");
        assertThat(results).extracting(ReadResult::line).containsExactly(1L, 2L);
    }

    @Test
    void fixedWidthReadsEbcdicRecordsOfFixedLengthWithoutTerminators() throws IOException {
        Path file = write("a.dat", "001M\u00fcller    002Smith     ".getBytes(IBM037));

        assertThat(names(readFixed(file, IBM037, 13))).containsExactly("M\u00fcller", "Smith");
    }

    @Test
    void fixedWidthReportsBytesInvalidInTheCharsetNamingFileAndLine() throws IOException {
        // 0x81 has no character in windows-1252
        Path file = write("bad.txt", new byte[] {'0', '0', '1', 'A', '\n', '0', '0', '2', (byte) 0x81, '\n'});

        assertThatThrownBy(() -> readFixed(file, WINDOWS_1252, FixedWidthFileReader.LINE_TERMINATED))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("bad.txt").hasMessageContaining("line").hasMessageContaining("not valid windows-1252");
    }

    @Test
    void fixedWidthReportsLatin1BytesReadAsUtf8() throws IOException {
        Path file = write("latin1.txt", "001Jos\u00e9      \n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> readFixed(file, StandardCharsets.UTF_8, FixedWidthFileReader.LINE_TERMINATED))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("latin1.txt near line 1").hasMessageContaining("not valid UTF-8");
    }

    @Test
    void csvDecodesTheWindows1252EuroSign() throws IOException {
        Path file = write("a.csv", "price\n\u20ac5\n".getBytes(WINDOWS_1252));

        assertThat(csvNames(file, WINDOWS_1252, "price")).containsExactly("\u20ac5");
    }

    @Test
    void csvDecodesIso88591() throws IOException {
        Path file = write("a.csv", "name\nFran\u00e7ois\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(csvNames(file, StandardCharsets.ISO_8859_1, "name")).containsExactly("Fran\u00e7ois");
    }

    @Test
    void csvDecodesEbcdicWrittenWithLineFeeds() throws IOException {
        // Java maps '\n' to EBCDIC 0x25 (LF), which the CSV reader ends lines at; NEL (0x15) it does not.
        Path file = write("a.csv", "name;city\nM\u00fcller;Z\u00fcrich\n".getBytes(IBM037));

        assertThat(csvNames(file, IBM037, "city", ';')).containsExactly("Z\u00fcrich");
    }

    @Test
    void csvReportsBytesInvalidInTheCharsetNamingFileAndLine() throws IOException {
        Path file = write("bad.csv", new byte[] {'n', '\n', 'a', '\n', (byte) 0x81, '\n'});

        assertThatThrownBy(() -> csvNames(file, WINDOWS_1252, "n"))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("bad.csv near line").hasMessageContaining("not valid windows-1252");
    }

    private List<ReadResult> readFixed(Path file, Charset charset, int recordLength) {
        return readAll(new FixedWidthFileReader(file, charset, LAYOUT, recordLength));
    }

    private static List<String> names(List<ReadResult> results) {
        return results.stream().filter(r -> r instanceof ReadResult.Parsed).map(r -> value(r).getString("name")).toList();
    }

    private static List<String> csvNames(Path file, Charset charset, String column) {
        return csvNames(file, charset, column, ',');
    }

    private static List<String> csvNames(Path file, Charset charset, String column, char delimiter) {
        return readAll(new CsvFileReader(file, charset, delimiter, '"', true, HeaderRowMapper.factory())).stream()
                .map(r -> ((Struct) ((ReadResult.Parsed) r).value()).getString(column)).toList();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
