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
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));

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
