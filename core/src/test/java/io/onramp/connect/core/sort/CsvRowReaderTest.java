package io.onramp.connect.core.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRowReaderTest {

    @TempDir
    Path temp;

    private List<Row> read(CsvRowReader reader) {
        var rows = new ArrayList<Row>();
        try (reader) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void readsQuotesLineBreaksEmptyLinesAndUnicodeAtEveryBufferBoundary() throws IOException {
        String csv = "\uFEFFid,name,note\r\n"
                + "1,Zoë,\"a, \"\"quoted\"\" note\"\r\n"
                + "\n"
                + "2,,\"two\nlines\"\n"
                + "3,日本語 🚀,\r"
                + "4,\"\",x" + "y".repeat(200) + "\n"
                + "\r\n"
                + "5,last,no newline";
        Path file = temp.resolve("in.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        var expected = List.of(
                Row.of(2, "1", "Zoë", "a, \"quoted\" note"),
                Row.of(4, "2", "", "two\nlines"),
                Row.of(6, "3", "日本語 🚀", ""),
                Row.of(7, "4", "", "x" + "y".repeat(200)),
                Row.of(9, "5", "last", "no newline"));
        for (int size = 1; size <= 70; size++) {
            var reader = CsvRowReader.open(file, ',', '"', true, size);
            assertThat(reader.header()).as("buffer %d", size).containsExactly("id", "name", "note");
            assertThat(read(reader)).as("buffer %d", size).isEqualTo(expected);
        }
    }

    @Test
    void tellsForEachRecordWhetherAllItsValuesAreWellFormedUtf8AsTheJdkDecoderJudgesThem() throws IOException {
        // Random records of pieces: ASCII runs of every length around the 8-byte steps, valid multi-byte characters,
        // and malformed bytes (cut, overlong, surrogate, stray continuation), quoted or not, at every buffer size.
        byte[][] pieces = {"a".getBytes(StandardCharsets.UTF_8), "abcdefg".getBytes(StandardCharsets.UTF_8),
            "abcdefghij".getBytes(StandardCharsets.UTF_8), "é".getBytes(StandardCharsets.UTF_8),
            "€".getBytes(StandardCharsets.UTF_8), "𝄞".getBytes(StandardCharsets.UTF_8), {(byte) 0xC3},
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        var random = new java.util.Random(41);
        for (int dump = 0; dump < 200; dump++) {
            var out = new java.io.ByteArrayOutputStream();
            out.writeBytes("id,a,b\n".getBytes(StandardCharsets.UTF_8));
            var expected = new ArrayList<Boolean>();
            for (int record = 0; record < 20; record++) {
                boolean wellFormed = true;
                out.writeBytes(String.valueOf(record).getBytes(StandardCharsets.UTF_8));
                for (int field = 0; field < 2; field++) {
                    var value = new java.io.ByteArrayOutputStream();
                    for (int n = random.nextInt(4); n > 0; n--) {
                        value.writeBytes(pieces[random.nextInt(pieces.length)]);
                    }
                    byte[] bytes = value.toByteArray();
                    try {
                        decoder.reset().decode(java.nio.ByteBuffer.wrap(bytes));
                    } catch (java.nio.charset.CharacterCodingException e) {
                        wellFormed = false;
                    }
                    boolean quoted = random.nextInt(4) == 0;
                    out.write(',');
                    if (quoted) {
                        out.write('"');
                    }
                    out.writeBytes(bytes);
                    if (quoted) {
                        out.write('"');
                    }
                }
                out.write('\n');
                expected.add(wellFormed);
            }
            Path file = Files.write(temp.resolve("utf8.csv"), out.toByteArray());
            for (int size : new int[] {3, 7, 16, 1 << 16}) {
                try (var reader = CsvRowReader.open(file, ',', '"', true, size)) {
                    var actual = new ArrayList<Boolean>();
                    while (reader.advanceEncoded()) {
                        actual.add(reader.wellFormedUtf8());
                    }
                    assertThat(actual).as("dump %d, buffer %d", dump, size).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void readsAFileInPartsExactlyAsInOnePieceWhenEachPartStartsWhereARecordStarts() throws IOException {
        String csv = "\uFEFFid,note\r\n1,\"two\nlines\"\r\n\n2,x\r3,y\n";
        Path file = temp.resolve("parts.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        byte[] bytes = Files.readAllBytes(file);
        // Just after the empty line (line 4), where record "2,x" starts on line 5; the BOM is 3 bytes, 1 char.
        int second = csv.indexOf("\n2,x") + 1 + 2;
        var head = CsvRowReader.openPart(file, 0, second, 1, ',', '"', true);
        assertThat(head.header()).containsExactly("id", "note");
        assertThat(read(head)).containsExactly(Row.of(2, "1", "two\nlines"));
        assertThat(head.line()).as("where the next part starts numbering").isEqualTo(5);
        var tail = CsvRowReader.openPart(file, second, bytes.length, 5, ',', '"', false);
        assertThat(tail.header()).isNull();
        assertThat(read(tail)).containsExactly(Row.of(5, "2", "x"), Row.of(6, "3", "y"));
        assertThat(tail.line()).isEqualTo(7);
        assertThat(read(CsvRowReader.open(file, ',', '"', true)))
                .containsExactly(Row.of(2, "1", "two\nlines"), Row.of(5, "2", "x"), Row.of(6, "3", "y"));
    }

    @Test
    void aPartCutInsideAQuotedFieldFails() throws IOException {
        Path file = temp.resolve("cut.csv");
        Files.writeString(file, "id,note\n1,\"two\nlines\"\n");
        int cut = "id,note\n1,\"two\n".length();
        var head = CsvRowReader.openPart(file, 0, cut, 1, ',', '"', true);
        assertThatThrownBy(() -> read(head)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("line 2 opens a quoted field that never closes");
    }

    @Test
    void readsWithoutHeaderAndWithOtherDelimiter() throws IOException {
        Path file = temp.resolve("semi.csv");
        Files.writeString(file, "a;'b;c'\n;\n");
        var reader = CsvRowReader.open(file, ';', '\'', false);
        assertThat(reader.header()).isNull();
        assertThat(read(reader)).containsExactly(Row.of(1, "a", "b;c"), Row.of(2, "", ""));
    }

    @Test
    void failsOnQuotedFieldThatNeverCloses() throws IOException {
        Path file = temp.resolve("open.csv");
        Files.writeString(file, "id\n1\n\"2\n3\n");
        var reader = CsvRowReader.open(file, ',', '"', true);
        assertThatThrownBy(() -> read(reader)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("line 3 opens a quoted field that never closes");
    }

    @Test
    void feedsTheSorterAsBytes() throws IOException {
        Path file = temp.resolve("ids.csv");
        Files.writeString(file, "id,v\n3,c\n1,a\n2,b\n");
        var reader = CsvRowReader.open(file, ',', '"', true);
        var key = RowKey.of(reader.layout(), List.of(KeyColumn.numeric("id")));
        try (var sorted = new ExternalSorter(key, 4096, temp).sort(reader)) {
            assertThat(read0(sorted)).containsExactly(Row.of(3, "1", "a"), Row.of(4, "2", "b"), Row.of(2, "3", "c"));
        }
    }

    private static List<Row> read0(CloseableIterator<Row> rows) {
        var out = new ArrayList<Row>();
        rows.forEachRemaining(out::add);
        return out;
    }
}
