package io.onramp.connect.core.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortedRunFileTest {

    private static final RowLayout LAYOUT = RowLayout.of("id", "name", "note");
    private static final List<KeyColumn> KEY = List.of(KeyColumn.numeric("id"));

    @TempDir
    Path temp;

    @Test
    void roundTripsRowsWithNullsEmptyStringsAndNonAsciiText() {
        var rows = List.of(
                Row.of(3, "1", "Zoë Ångström", null),
                Row.of(1, "2", "", "日本語 🚀 \u0000 tab\tnewline\n"),
                Row.of(7, "3", null, "x".repeat(70_000)));
        Path file = temp.resolve("snapshot.run");

        assertThat(SortedRunFile.write(file, LAYOUT, KEY, rows.iterator())).isEqualTo(3);

        try (var reader = SortedRunFile.open(file)) {
            assertThat(reader.layout()).isEqualTo(LAYOUT);
            assertThat(reader.keyColumns()).isEqualTo(KEY);
            var back = new ArrayList<Row>();
            reader.forEachRemaining(back::add);
            assertThat(back).isEqualTo(rows);
        }
    }

    @Test
    void roundTripsAnEmptySnapshot() {
        Path file = temp.resolve("empty.run");
        SortedRunFile.write(file, LAYOUT, KEY, List.<Row>of().iterator());
        try (var reader = SortedRunFile.open(file)) {
            assertThat(reader.hasNext()).isFalse();
        }
    }

    @Test
    void refusesFileCutShortBeforeItsEndMarker() throws IOException {
        Path file = temp.resolve("cut.run");
        SortedRunFile.write(file, LAYOUT, KEY, List.of(Row.of(1, "1", "a", "b"), Row.of(2, "2", "c", "d")).iterator());
        byte[] bytes = Files.readAllBytes(file);
        // Cut before the last byte of the rows: the END marker, which the (empty) index of 12 bytes follows.
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 12 - 1));

        assertThatThrownBy(() -> {
            try (var reader = SortedRunFile.open(file)) {
                reader.forEachRemaining(r -> { });
            }
        }).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
    }

    @Test
    void refusesRowsOutOfKeyOrderAndLeavesNoFileBehind() throws IOException {
        Path file = temp.resolve("bad.run");
        var rows = List.of(Row.of(1, "10", "a", "b"), Row.of(2, "9", "c", "d"));
        assertThatThrownBy(() -> SortedRunFile.write(file, LAYOUT, KEY, rows.iterator()))
                .hasMessageContaining("not in key order");
        try (var files = Files.list(temp)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void rowsOutOfKeyOrderAreNamedByColumnsAndLinesNeverByTheKeyValues() {
        // Key values may be personal data: the message locates the rows instead.
        var layout = RowLayout.of("email", "name", "note");
        var key = List.of(KeyColumn.text("email"));
        var rows = List.of(Row.of(1, "secret@example.com", "a", "b"), Row.of(2, "alice@example.com", "c", "d"));
        assertThatThrownBy(() -> SortedRunFile.write(temp.resolve("pii.run"), layout, key, rows.iterator()))
                .hasMessageContaining("not in key order by [email]").hasMessageContaining("line 2 follows line 1")
                .message().doesNotContain("secret@example.com").doesNotContain("alice@example.com");
    }

    @Test
    void replacesThePreviousFileAtomically() {
        Path file = temp.resolve("snapshot.run");
        SortedRunFile.write(file, LAYOUT, KEY, List.of(Row.of(1, "1", "old", null)).iterator());
        SortedRunFile.write(file, LAYOUT, KEY, List.of(Row.of(1, "1", "new", null)).iterator());
        try (var reader = SortedRunFile.open(file)) {
            assertThat(reader.next().get(1)).isEqualTo("new");
        }
    }

    /** Rows with ids 1..count in key order, about 60 bytes each. */
    private static List<Row> ascending(int count) {
        var rows = new ArrayList<Row>();
        for (int i = 1; i <= count; i++) {
            rows.add(Row.of(i, Integer.toString(i), "name-" + i, "a note of some thirty characters " + i % 10));
        }
        return rows;
    }

    private static List<Row> read(SortedRunFile.Reader reader) {
        try (reader) {
            var rows = new ArrayList<Row>();
            reader.forEachRemaining(rows::add);
            return rows;
        }
    }

    @Test
    void aFileOfSeveralMegabytesIsIndexedAndReadsInTwoHalvesCutAtARowNearItsMiddle() {
        var rows = ascending(60_000);
        Path file = temp.resolve("large.run");
        SortedRunFile.write(file, LAYOUT, KEY, rows.iterator());
        assertThat(file.toFile().length()).isGreaterThan(3 * SortedRunFile.INDEX_EVERY_BYTES);

        var middle = SortedRunFile.middle(file);
        assertThat(middle).isNotNull();
        assertThat(middle.layout()).isEqualTo(LAYOUT);
        assertThat(middle.keyColumns()).isEqualTo(KEY);
        var lower = read(SortedRunFile.open(file, -1, middle.offset()));
        var upper = read(SortedRunFile.open(file, middle.offset(), -1));
        // Near the middle: within one index step (about 1 MB, some 16,000 rows of 60 bytes) of it.
        assertThat(lower.size()).isBetween(30_000 - 20_000, 30_000 + 20_000);
        var joined = new ArrayList<>(lower);
        joined.addAll(upper);
        assertThat(joined).isEqualTo(rows);
        var fields = new RowCodec.Fields();
        fields.scan(middle.record(), 0, middle.record().length);
        assertThat(RowCodec.decode(middle.record(), fields)).isEqualTo(upper.get(0));
    }

    @Test
    void aFileWithoutItsIndexOrWithItCutShortReadsWholeAndIsNotCut() throws IOException {
        Path file = temp.resolve("indexed.run");
        var rows = ascending(40_000);
        SortedRunFile.write(file, LAYOUT, KEY, rows.iterator());
        byte[] bytes = Files.readAllBytes(file);
        int entries = java.nio.ByteBuffer.wrap(bytes, bytes.length - 12, 4).getInt();
        assertThat(entries).isPositive();
        int rowsEnd = bytes.length - 12 - 8 * entries; // just past the END marker: a file of before the index
        for (int cut : new int[] {rowsEnd, bytes.length - 1, bytes.length - 12}) {
            Path cutFile = temp.resolve("cut-" + cut + ".run");
            Files.write(cutFile, java.util.Arrays.copyOf(bytes, cut));
            assertThat(SortedRunFile.middle(cutFile)).as("cut at %d", cut).isNull();
            assertThat(read(SortedRunFile.open(cutFile))).isEqualTo(rows);
        }
    }

    @Test
    void anUpperPartWrittenFirstOnAnotherThreadMakesTheRowsOfOneWriter() throws Exception {
        var shuffled = ascending(20_000);
        java.util.Collections.shuffle(shuffled, new java.util.Random(9));
        Path whole = temp.resolve("whole.run");
        SortedRunFile.write(whole, LAYOUT, KEY, ascending(20_000).iterator());

        var encoder = new RowCodec.Encoder();
        encoder.encode(Row.of(1, "12345", "", ""));
        var boundary = new KeyBoundary(RowKey.of(LAYOUT, KEY), RowKey.of(LAYOUT, KEY), encoder.array(), 0,
                encoder.length());
        int half = shuffled.size() / 2;
        var parts = List.<EncodedRowIterator>of(RowCodec.encoding(shuffled.subList(0, half).iterator()),
                RowCodec.encoding(shuffled.subList(half, shuffled.size()).iterator()));
        var halves = new ExternalSorter(RowKey.of(LAYOUT, KEY), 64 * 1024, temp).sort(parts, "t", boundary);
        Path split = temp.resolve("split.run");
        try (var lower = halves.lower(); var upper = halves.upper(); var writer = SortedRunFile.create(split, LAYOUT, KEY)) {
            var part = writer.upperPart(halves.lowerBytes());
            var thread = new Thread(() -> {
                try (var tee = part.teeSorted(upper)) {
                    while (tee.advanceEncoded()) {
                        // written as it passes
                    }
                }
            });
            thread.start();
            thread.join(30_000); // the upper rows are all written before the first lower one
            assertThat(thread.isAlive()).isFalse();
            try (var tee = writer.teeSorted(lower)) {
                while (tee.advanceEncoded()) {
                    // written as it passes
                }
            }
            writer.commit();
            assertThat(writer.rowCount()).isEqualTo(20_000);
        }
        assertThat(read(SortedRunFile.open(split))).isEqualTo(read(SortedRunFile.open(whole)));
        // Header and rows byte for byte; only the index may differ (the upper part indexes its first row).
        assertThat(rowBytes(split)).isEqualTo(rowBytes(whole));
        var middle = SortedRunFile.middle(split);
        assertThat(middle).isNotNull();
        assertThat(read(SortedRunFile.open(split, middle.offset(), -1)).get(0).get(0)).isEqualTo("12345");
    }

    /** The file up to its END marker, included. */
    private static byte[] rowBytes(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int entries = java.nio.ByteBuffer.wrap(bytes, bytes.length - 12, 4).getInt();
        return java.util.Arrays.copyOf(bytes, bytes.length - 12 - 8 * entries);
    }

    @Test
    void commitRefusesLowerRowsThatDoNotFillTheShareLeftForThemAndLeavesNoFile() throws IOException {
        var rows = ascending(1_000);
        var encoder = new RowCodec.Encoder();
        encoder.encode(Row.of(1, "500", "", ""));
        var boundary = new KeyBoundary(RowKey.of(LAYOUT, KEY), RowKey.of(LAYOUT, KEY), encoder.array(), 0,
                encoder.length());
        var halves = new ExternalSorter(RowKey.of(LAYOUT, KEY), 1 << 20, temp).sort(
                List.of(RowCodec.encoding(rows.iterator())), "t", boundary);
        Path file = temp.resolve("gap.run");
        try (var lower = halves.lower(); var upper = halves.upper(); var writer = SortedRunFile.create(file, LAYOUT, KEY)) {
            var part = writer.upperPart(halves.lowerBytes() + 1);
            try (var tee = part.teeSorted(upper)) {
                while (tee.advanceEncoded()) {
                    // written as it passes
                }
            }
            try (var tee = writer.teeSorted(lower)) {
                while (tee.advanceEncoded()) {
                    // written as it passes
                }
            }
            assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("end at byte");
        }
        assertThat(file).doesNotExist();
        try (var left = Files.list(temp)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("gap.run"))).isEmpty();
        }
    }

    @Test
    void teeSortedWritesWhatTheSorterHandsOutAndTheSorterStillRefusesADuplicateKey() {
        // Keys 1..2000 shuffled, through a sort that spills (4 KB budget): the file holds them in key order.
        var shuffled = new ArrayList<Row>();
        for (int i = 1; i <= 2000; i++) {
            shuffled.add(Row.of(i, Integer.toString(i), "n" + i, null));
        }
        java.util.Collections.shuffle(shuffled, new java.util.Random(3));
        Path file = temp.resolve("tee.run");
        var sorter = new ExternalSorter(RowKey.of(LAYOUT, KEY), 4 * 1024, temp);
        try (var sorted = sorter.sort(shuffled.iterator()); var writer = SortedRunFile.create(file, LAYOUT, KEY);
             var tee = writer.teeSorted(sorted)) {
            var passed = new ArrayList<String>();
            while (tee.advanceEncoded()) {
                passed.add(RowCodec.decode(tee.encodedArray(), tee.encodedFields()).get(0));
            }
            writer.commit();
            assertThat(writer.rowCount()).isEqualTo(2000);
            assertThat(passed).hasSize(2000).first().isEqualTo("1");
        }
        var read = new ArrayList<String>();
        try (var reader = SortedRunFile.open(file)) {
            reader.forEachRemaining(row -> read.add(row.get(0)));
        }
        assertThat(read).hasSize(2000);
        for (int i = 0; i < 2000; i++) {
            assertThat(read.get(i)).isEqualTo(Integer.toString(i + 1));
        }

        // The writer does not compare keys here: the sorter's output does, and fails on a repeated key.
        var withDuplicate = new ArrayList<>(shuffled);
        withDuplicate.add(Row.of(9999, "1500", "again", null));
        Path other = temp.resolve("duplicate.run");
        assertThatThrownBy(() -> {
            try (var sorted = new ExternalSorter(RowKey.of(LAYOUT, KEY), 4 * 1024, temp).sort(withDuplicate.iterator());
                 var writer = SortedRunFile.create(other, LAYOUT, KEY); var tee = writer.teeSorted(sorted)) {
                while (tee.advanceEncoded()) {
                    // drain
                }
                writer.commit();
            }
        }).isInstanceOf(DuplicateKeyException.class);
        assertThat(Files.exists(other)).isFalse();
    }
}
