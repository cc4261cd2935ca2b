package io.onramp.connect.core.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadAheadRowsTest {

    /** Rows of random sizes, some larger than a block, with nulls, empty values and non-ASCII text. */
    private static List<Row> randomRows(int count, long seed) {
        var random = new Random(seed);
        var rows = new ArrayList<Row>();
        for (int i = 0; i < count; i++) {
            var values = new String[1 + random.nextInt(5)];
            for (int v = 0; v < values.length; v++) {
                int kind = random.nextInt(10);
                values[v] = kind == 0 ? null : kind == 1 ? "" : kind == 2 ? "é€😀".repeat(random.nextInt(4))
                        : kind == 3 ? "x".repeat(random.nextInt(600)) : Integer.toString(random.nextInt());
            }
            rows.add(Row.of(i * 3L + 1, values)); // line numbers with gaps, as after empty lines
        }
        return rows;
    }

    private static List<Row> drain(EncodedRowIterator rows) {
        var out = new ArrayList<Row>();
        while (rows.advanceEncoded()) {
            out.add(RowCodec.decode(rows.encodedArray(), rows.encodedFields()));
            var rescanned = new RowCodec.Fields();
            int end = rescanned.scan(rows.encodedArray(), rows.encodedOffset(), rows.encodedOffset() + rows.encodedLength());
            assertThat(end).as("the record's length covers exactly one record")
                    .isEqualTo(rows.encodedOffset() + rows.encodedLength());
        }
        return out;
    }

    @Test
    void handsOutTheSourceRecordsInOrderByteForByteAcrossSmallBlocks() {
        List<Row> rows = randomRows(5_000, 7);
        // Blocks of 256 bytes: most blocks hold a few records, and records over 256 bytes grow their block.
        try (var ahead = ReadAheadRows.start(RowCodec.encoding(rows.iterator()), "read-ahead-test", 256)) {
            assertThat(drain(ahead)).isEqualTo(rows);
            assertThat(ahead.advanceEncoded()).as("still ended").isFalse();
        }
    }

    @Test
    void anEmptySourceEndsAtOnce() {
        try (var ahead = ReadAheadRows.start(RowCodec.encoding(List.<Row>of().iterator()), "read-ahead-test")) {
            assertThat(ahead.hasNext()).isFalse();
        }
    }

    @Test
    void aFailureOfTheSourceComesAfterTheRowsBeforeItAsTheSameException() {
        List<Row> rows = randomRows(3_000, 11);
        var failure = new IllegalStateException("row 2,001 is bad");
        Iterator<Row> failing = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                if (next == 2_000) {
                    throw failure;
                }
                return next < rows.size();
            }

            @Override
            public Row next() {
                return rows.get(next++);
            }
        };
        try (var ahead = ReadAheadRows.start(RowCodec.encoding(failing), "read-ahead-test", 512)) {
            var seen = new ArrayList<Row>();
            assertThatThrownBy(() -> {
                while (ahead.advanceEncoded()) {
                    seen.add(RowCodec.decode(ahead.encodedArray(), ahead.encodedFields()));
                }
            }).isSameAs(failure);
            assertThat(seen).isEqualTo(rows.subList(0, 2_000));
            assertThat(ahead.advanceEncoded()).as("ended after the failure").isFalse();
        }
    }

    @Test
    void closeStopsTheThreadOfASourceThatNeverEnds() throws Exception {
        Iterator<Row> endless = new Iterator<>() {
            private long line;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Row next() {
                return Row.of(++line, "row", Long.toString(line));
            }
        };
        String name = "read-ahead-endless-" + System.nanoTime();
        var ahead = ReadAheadRows.start(RowCodec.encoding(endless), name, 1024);
        for (int i = 1; i <= 10_000; i++) {
            assertThat(ahead.advanceEncoded()).isTrue();
            assertThat(ahead.encodedFields().line()).isEqualTo(i);
        }
        ahead.close(); // the producer is blocked on a full queue or reading: either way it must end

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().equals(name));
        assertThat(ahead.advanceEncoded()).isFalse();
    }

    @Test
    void feedsTheSorterTheSameRowsAsTheSourceWouldIncludingADuplicateKeyFoundInTheMerge() throws Exception {
        var ids = new ArrayList<Integer>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(i);
        }
        java.util.Collections.shuffle(ids, new Random(3));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            rows.add(Row.of(i + 1, Integer.toString(ids.get(i)), "v" + i));
        }
        rows.add(Row.of(20_001, "12345", "again")); // a duplicate key in the last run: found only by the merge
        var layout = RowLayout.of("id", "v");
        var key = RowKey.of(layout, List.of(KeyColumn.numeric("id")));
        var dir = java.nio.file.Files.createTempDirectory("read-ahead");
        try (var direct = new ExternalSorter(key, 64 * 1024, dir).sort(rows.iterator());
             var ahead = ReadAheadRows.start(RowCodec.encoding(rows.iterator()), "read-ahead-test", 4096);
             var viaAhead = new ExternalSorter(key, 64 * 1024, dir).sort(ahead);
             var mergedAhead = ReadAheadRows.start(viaAhead, "read-ahead-merge-test", 4096)) {
            assertThat(direct.spilledRuns()).as("spilled, so the merge runs too").isGreaterThan(1);
            var expected = new ArrayList<Row>();
            var actual = new ArrayList<Row>();
            var expectedFailure = catchThrowable(() -> {
                while (direct.hasNext()) {
                    expected.add(direct.next());
                }
            });
            var actualFailure = catchThrowable(() -> {
                while (mergedAhead.hasNext()) {
                    actual.add(mergedAhead.next());
                }
            });
            assertThat(expected).hasSize(12_346);
            assertThat(actual).isEqualTo(expected);
            assertThat(expectedFailure).isInstanceOf(DuplicateKeyException.class);
            assertThat(actualFailure).isInstanceOf(DuplicateKeyException.class).hasMessage(expectedFailure.getMessage())
                    .hasMessageContaining("20001");
        }
    }
}
