package io.onramp.connect.core.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalSorterTest {

    private static final RowLayout LAYOUT = RowLayout.of("id", "name", "city");

    @TempDir
    Path temp;

    private static List<Row> shuffledRows(int count, long seed) {
        var ids = new ArrayList<Integer>();
        for (int i = 0; i < count; i++) {
            ids.add(i);
        }
        java.util.Collections.shuffle(ids, new Random(seed));
        var rows = new ArrayList<Row>(count);
        long line = 1;
        for (int id : ids) {
            rows.add(Row.of(line++, String.format("%08d", id), "name-" + id, id % 7 == 0 ? null : "city-" + (id % 100)));
        }
        return rows;
    }

    private static List<Row> drain(CloseableIterator<Row> rows) {
        var out = new ArrayList<Row>();
        rows.forEachRemaining(out::add);
        return out;
    }

    private long filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void sortsInputFarLargerThanMemoryBudget() throws IOException {
        int count = 200_000;
        var sorter = new ExternalSorter(RowKey.text(LAYOUT, "id"), 64 * 1024, temp);

        try (var sorted = sorter.sort(shuffledRows(count, 42).iterator())) {
            assertThat(sorted.spilledRuns()).isGreaterThan(100);
            assertThat(sorted.rowCount()).isEqualTo(count);
            // Intermediate merge passes have already cut the run files down to one fan-in.
            assertThat(filesIn(temp)).isLessThanOrEqualTo(64);
            var out = drain(sorted);
            assertThat(out).hasSize(count);
            for (int i = 0; i < count; i++) {
                Row row = out.get(i);
                assertThat(row.get(0)).isEqualTo(String.format("%08d", i));
                assertThat(row.get(1)).isEqualTo("name-" + i);
                assertThat(row.get(2)).isEqualTo(i % 7 == 0 ? null : "city-" + (i % 100));
            }
        }
    }

    @Test
    void sortsInMemoryWithoutSpillingWhenInputFitsBudget() throws IOException {
        var sorter = new ExternalSorter(RowKey.text(LAYOUT, "id"), 16 * 1024 * 1024, temp);
        try (var sorted = sorter.sort(shuffledRows(1000, 1).iterator())) {
            assertThat(sorted.spilledRuns()).isZero();
            assertThat(filesIn(temp)).isZero();
            assertThat(drain(sorted)).extracting(r -> r.get(0)).isSorted().hasSize(1000);
        }
    }

    @Test
    void removesSpillFilesOnClose() throws IOException {
        var sorter = new ExternalSorter(RowKey.text(LAYOUT, "id"), 8 * 1024, temp);
        var sorted = sorter.sort(shuffledRows(5_000, 7).iterator());
        assertThat(filesIn(temp)).isPositive();
        sorted.next(); // half-read, as when a diff fails midway
        sorted.close();
        assertThat(filesIn(temp)).isZero();
    }

    @Test
    void aMergeClosedInTheBackgroundRemovesItsSpillFilesOffTheCallersThread() throws Exception {
        var sorter = new ExternalSorter(RowKey.text(LAYOUT, "id"), 8 * 1024, temp);
        var sorted = sorter.sort(shuffledRows(5_000, 7).iterator());
        assertThat(drain(sorted)).hasSize(5_000);
        long spilled = filesIn(temp);
        assertThat(spilled).isPositive();
        // The cleanup thread held busy: the close must return without deleting anything itself.
        var busy = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        ExternalSorter.CLEANUP.execute(() -> {
            busy.countDown();
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        sorted.closeInBackground();

        assertThat(filesIn(temp)).as("left to the cleanup thread").isEqualTo(spilled);
        release.countDown();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(filesIn(temp)).as("spill files left once the cleanup thread is free").isZero());
    }

    @Test
    void removesSpillFilesWhenInputFails() throws IOException {
        var sorter = new ExternalSorter(RowKey.text(LAYOUT, "id"), 8 * 1024, temp);
        var rows = shuffledRows(5_000, 7).iterator();
        var failing = new java.util.Iterator<Row>() {
            int served;

            public boolean hasNext() {
                return true;
            }

            public Row next() {
                if (++served > 3_000) {
                    throw new IllegalStateException("parse error");
                }
                return rows.next();
            }
        };
        assertThatThrownBy(() -> sorter.sort(failing)).hasMessage("parse error");
        assertThat(filesIn(temp)).isZero();
    }

    @Test
    void reportsDuplicateKeyWithBothLineNumbers() {
        var rows = new ArrayList<Row>();
        for (int i = 0; i < 3_000; i++) {
            rows.add(Row.of(i + 1, "k" + i, "n", "c"));
        }
        rows.add(Row.of(3_001, "k1234", "again", "c")); // duplicates line 1235, in another run
        var sorter = new ExternalSorter(RowKey.text(LAYOUT, "id"), 8 * 1024, temp);

        try (var sorted = sorter.sort(rows.iterator())) {
            assertThat(sorted.spilledRuns()).isGreaterThan(1);
            assertThatThrownBy(() -> sorted.forEachRemaining(r -> { }))
                    .isInstanceOfSatisfying(DuplicateKeyException.class, e -> {
                        assertThat(e.keyValues()).containsExactly("k1234");
                        assertThat(e.firstLine()).isEqualTo(1235);
                        assertThat(e.secondLine()).isEqualTo(3001);
                    })
                    .hasMessageContaining("(id)").hasMessageNotContaining("k1234").hasMessageContaining("lines 1235 and 3001");
        }
    }

    @Test
    void reportsDuplicateKeyInInputThatFitsMemory() {
        var rows = List.of(Row.of(1, "b", "x", "y"), Row.of(2, "a", "x", "y"), Row.of(3, "b", "z", "y"));
        try (var sorted = new ExternalSorter(RowKey.text(LAYOUT, "id"), 1 << 20, temp).sort(rows.iterator())) {
            sorted.next();
            sorted.next();
            assertThatThrownBy(sorted::next).isInstanceOf(DuplicateKeyException.class)
                    .hasMessageContaining("lines 1 and 3");
        }
    }

    /** The rows cut into {@code parts} consecutive parts, each an encoded input of its own. */
    private static List<EncodedRowIterator> parts(List<Row> rows, int parts) {
        var out = new ArrayList<EncodedRowIterator>();
        int size = (rows.size() + parts - 1) / parts;
        for (int from = 0; from < rows.size(); from += size) {
            out.add(RowCodec.encoding(rows.subList(from, Math.min(rows.size(), from + size)).iterator()));
        }
        return out;
    }

    @Test
    void sortsInputReadInPartsOnSeveralThreadsExactlyAsInOnePiece() {
        var rows = shuffledRows(30_000, 11);
        for (long budget : new long[] {16 * 1024, 64 * 1024 * 1024}) { // many spilled runs per part; none at all
            List<Row> whole;
            try (var sorted = new ExternalSorter(RowKey.text(LAYOUT, "id"), budget, temp).sort(rows.iterator())) {
                whole = drain(sorted);
            }
            for (int parts : new int[] {2, 3}) {
                try (var sorted = new ExternalSorter(RowKey.text(LAYOUT, "id"), budget, temp).sort(parts(rows, parts), "t")) {
                    assertThat(sorted.rowCount()).isEqualTo(rows.size());
                    assertThat(sorted.spilledRuns() > 0).as("spilled with budget %d", budget).isEqualTo(budget < 1 << 20);
                    var out = drain(sorted);
                    assertThat(out).as("%d parts, budget %d", parts, budget).isEqualTo(whole);
                    assertThat(out).extracting(Row::lineNumber).doesNotHaveDuplicates();
                }
            }
        }
    }

    /** A boundary at {@code id}, of a record of another layout (the snapshot before), whose key column is named alike. */
    private static KeyBoundary boundaryAt(String id) {
        var other = RowLayout.of("note", "id");
        var encoder = new RowCodec.Encoder();
        encoder.encode(Row.of(1, "from the old snapshot", id));
        return new KeyBoundary(RowKey.text(LAYOUT, "id"), RowKey.text(other, "id"), encoder.array(), 0,
                encoder.length());
    }

    private static List<byte[]> drainEncoded(EncodedRowIterator rows) {
        var out = new ArrayList<byte[]>();
        while (rows.advanceEncoded()) {
            out.add(java.util.Arrays.copyOfRange(rows.encodedArray(), rows.encodedOffset(),
                    rows.encodedOffset() + rows.encodedLength()));
        }
        return out;
    }

    @Test
    void halvesCutAtABoundaryHoldTheWholeSortBelowAndFromIt() throws IOException {
        var rows = shuffledRows(30_000, 5);
        // many spilled runs per part, more than a half may merge at once; a few; none at all
        for (long budget : new long[] {8 * 1024, 256 * 1024, 64 * 1024 * 1024}) {
            List<byte[]> whole;
            try (var sorted = new ExternalSorter(RowKey.text(LAYOUT, "id"), budget, temp).sort(parts(rows, 2), "t")) {
                whole = drainEncoded(sorted);
            }
            // ids are %08d of 0..29999: a boundary inside, at a present key, before every key, after every key
            for (String cut : new String[] {"00012345", "00012345x", "0", "9"}) {
                var halves = new ExternalSorter(RowKey.text(LAYOUT, "id"), budget, temp)
                        .sort(parts(rows, 2), "t", boundaryAt(cut));
                List<byte[]> lower;
                List<byte[]> upper;
                try (var low = halves.lower(); var high = halves.upper()) {
                    lower = drainEncoded(low);
                    upper = drainEncoded(high);
                    assertThat(low.rowCount()).isEqualTo(lower.size());
                    assertThat(high.rowCount()).isEqualTo(upper.size());
                }
                int expectedLower = (int) whole.stream().filter(r -> idOf(r).compareTo(cut) < 0).count();
                assertThat(lower).as("budget %d, cut %s", budget, cut).hasSize(expectedLower);
                var joined = new ArrayList<>(lower);
                joined.addAll(upper);
                assertThat(hex(joined)).as("budget %d, cut %s", budget, cut).isEqualTo(hex(whole));
                assertThat(halves.lowerBytes()).isEqualTo(lower.stream().mapToLong(r -> r.length).sum());
                assertThat(filesIn(temp)).as("spill runs left, budget %d", budget).isZero();
            }
        }
    }

    private static List<String> hex(List<byte[]> records) {
        return records.stream().map(java.util.HexFormat.of()::formatHex).toList();
    }

    private static String idOf(byte[] record) {
        var fields = new RowCodec.Fields();
        fields.scan(record, 0, record.length);
        return RowCodec.decode(record, fields).get(0);
    }

    @Test
    void aDuplicateKeyIsFoundInTheHalfItFallsIn() {
        var rows = new ArrayList<Row>();
        for (int i = 0; i < 3_000; i++) {
            rows.add(Row.of(i + 1, String.format("k%05d", i), "n", "c"));
        }
        rows.add(Row.of(3_001, "k02500", "again", "c")); // above the cut, in the last part; duplicates line 2501
        for (long budget : new long[] {8 * 1024, 1 << 20}) {
            var halves = new ExternalSorter(RowKey.text(LAYOUT, "id"), budget, temp).sort(parts(rows, 2), "t",
                    boundaryAt("k01000"));
            try (var low = halves.lower(); var high = halves.upper()) {
                assertThat(drainEncoded(low)).hasSize(1_000);
                assertThatThrownBy(() -> drainEncoded(high)).isInstanceOfSatisfying(DuplicateKeyException.class, e -> {
                    assertThat(e.firstLine()).isEqualTo(2501);
                    assertThat(e.secondLine()).isEqualTo(3001);
                });
            }
        }
    }

    @Test
    void aSortInPartsTakesTheArraysAnEarlierOneKeptAndNoneOfTheirOldRowsShow() {
        long budget = 64 * 1024;
        int arenaBytes = (int) (budget / 2 + ExternalSorter.ARENA_SLACK); // each of two parts: half the budget
        try (var sorted = new ExternalSorter(RowKey.text(LAYOUT, "id"), budget, temp).sort(parts(shuffledRows(20_000, 21), 2), "t")) {
            drain(sorted);
        }
        SortMemory kept = SortMemory.take(arenaBytes);
        assertThat(kept).as("kept by the first sort's spilled parts").isNotNull();
        SortMemory.keep(kept);

        var second = new ArrayList<Row>();
        for (Row row : shuffledRows(15_000, 22)) {
            second.add(Row.of(row.lineNumber(), row.get(0) + "-2", "other " + row.get(1), null));
        }
        List<Row> expected;
        try (var sorted = new ExternalSorter(RowKey.text(LAYOUT, "id"), budget, temp).sort(second.iterator())) {
            expected = drain(sorted);
        }
        try (var sorted = new ExternalSorter(RowKey.text(LAYOUT, "id"), budget, temp).sort(parts(second, 2), "t")) {
            assertThat(drain(sorted)).isEqualTo(expected);
        }
        var arenas = new ArrayList<byte[]>();
        for (SortMemory memory; (memory = SortMemory.take(arenaBytes)) != null; ) {
            arenas.add(memory.arena);
        }
        assertThat(arenas).as("the arena kept after the first sort served the second and was kept again")
                .anyMatch(arena -> arena == kept.arena);
    }

    @Test
    void aDuplicateKeyAcrossPartsNamesItsLinesInInputOrder() {
        var rows = new ArrayList<Row>();
        for (int i = 0; i < 3_000; i++) {
            rows.add(Row.of(i + 1, "k" + i, "n", "c"));
        }
        rows.add(Row.of(3_001, "k17", "again", "c")); // in the last part, duplicating line 18 of the first
        for (long budget : new long[] {8 * 1024, 1 << 20}) {
            try (var sorted = new ExternalSorter(RowKey.text(LAYOUT, "id"), budget, temp).sort(parts(rows, 2), "t")) {
                assertThatThrownBy(() -> sorted.forEachRemaining(r -> { }))
                        .isInstanceOfSatisfying(DuplicateKeyException.class, e -> {
                            assertThat(e.firstLine()).isEqualTo(18);
                            assertThat(e.secondLine()).isEqualTo(3001);
                        });
            }
        }
    }

    @Test
    void aPartThatFailsStopsTheOthersAndLeavesNoSpillFiles() throws IOException {
        var rows = shuffledRows(20_000, 3);
        var second = rows.subList(10_000, 20_000).iterator();
        var failing = new java.util.Iterator<Row>() {
            int served;

            public boolean hasNext() {
                return true;
            }

            public Row next() {
                if (++served > 5_000) {
                    throw new IllegalStateException("parse error in the second part");
                }
                return second.next();
            }
        };
        var endless = new java.util.Iterator<Row>() { // the first part would never end on its own
            long served;

            public boolean hasNext() {
                return true;
            }

            public Row next() {
                served++;
                return Row.of(served, "e" + served, "n", "c");
            }
        };
        var sorter = new ExternalSorter(RowKey.text(LAYOUT, "id"), 8 * 1024, temp);
        assertThatThrownBy(() -> sorter.sort(List.of(RowCodec.encoding(endless), RowCodec.encoding(failing)), "t"))
                .hasMessage("parse error in the second part");
        assertThat(filesIn(temp)).isZero();
    }

    @Test
    void sortsByCompositeKeyColumnByColumn() {
        var layout = RowLayout.of("region", "id", "v");
        var rows = List.of(Row.of(1, "eu", "2", "a"), Row.of(2, "us", "1", "b"), Row.of(3, "eu", "10", "c"),
                Row.of(4, null, "5", "d"));
        var key = RowKey.of(layout, List.of(KeyColumn.text("region"), KeyColumn.numeric("id")));
        try (var sorted = new ExternalSorter(key, 4096, temp).sort(rows.iterator())) {
            assertThat(drain(sorted)).extracting(Row::lineNumber).containsExactly(4L, 1L, 3L, 2L);
        }
    }

    /** The byte path must order exactly as RowKey orders strings, where UTF-8 and UTF-16 order part too. */
    @Test
    void ordersEncodedKeysExactlyAsStringsCompare() {
        var random = new Random(3);
        String[] pieces = {"a", "b", "é", "\u0000", "\uE000", "\uFFFF", "\uD7FF", "😀", "日", "zz", "abcdefgh"};
        String[] numbers = {"-5", "007", "7.5", "3.50", "12345678901234567890", "-12345678901234567891", "1e3", "0", "-0.1"};
        var layout = RowLayout.of("t", "n", "v");
        var key = RowKey.of(layout, List.of(KeyColumn.text("t"), KeyColumn.numeric("n")));
        var unique = new java.util.TreeMap<Row, Row>(key);
        for (int line = 1; unique.size() < 3000; line++) {
            var text = new StringBuilder();
            for (int j = random.nextInt(5); j > 0; j--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String t = random.nextInt(50) == 0 ? null : text.toString();
            String n = random.nextInt(50) == 0 ? null : numbers[random.nextInt(numbers.length)] ;
            var row = Row.of(line, t, n, "v" + line);
            unique.putIfAbsent(row, row);
        }
        var input = new ArrayList<>(unique.values());
        java.util.Collections.shuffle(input, random);
        try (var sorted = new ExternalSorter(key, 16 * 1024, temp).sort(input.iterator())) {
            assertThat(sorted.spilledRuns()).isPositive();
            assertThat(drain(sorted)).containsExactlyElementsOf(unique.values());
        }
    }
}
