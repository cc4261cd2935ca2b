package io.onramp.connect.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.diff.ChangeEvent.Op;
import io.onramp.connect.core.sort.DuplicateKeyException;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowCodec;
import io.onramp.connect.core.sort.RowLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpooledDiffTest {

    private static final RowLayout LAYOUT = RowLayout.of("id", "name", "exported_at");

    @TempDir
    Path dir;

    private static SnapshotDiff diff(List<Row> old, List<Row> neu, DiffOptions options) {
        return SnapshotDiff.of(LAYOUT, RowCodec.encoding(old.iterator()), LAYOUT, RowCodec.encoding(neu.iterator()), options);
    }

    @Test
    void handsOutTheDiffsEventsWithTheirRowsAndLinesAfterRunningItToTheEnd() {
        var old = List.of(Row.of(2, "1", "a", "t1"), Row.of(3, "2", "b", "t1"), Row.of(4, "3", null, "t1"));
        var neu = List.of(Row.of(2, "1", "a", "t2"), Row.of(5, "2", "B", "t2"), Row.of(9, "4", "ü€", "t2"));
        Path file = dir.resolve("events");

        try (var spooled = SpooledDiff.spool(diff(old, neu, DiffOptions.keyedBy("id").ignoring("exported_at")), file)) {
            assertThat(spooled.summary()).isEqualTo(new DiffSummary(3, 3, 1, 1, 1, 1, 0));
            assertThat(spooled.events()).isEqualTo(3);
            var events = new ArrayList<ChangeEvent>();
            spooled.forEachRemaining(events::add);
            assertThat(events).containsExactly(
                    new ChangeEvent(Op.UPDATE, List.of("2"), Row.of(3, "2", "b", "t1"), Row.of(5, "2", "B", "t2")),
                    new ChangeEvent(Op.DELETE, List.of("3"), Row.of(4, "3", null, "t1"), null),
                    new ChangeEvent(Op.INSERT, List.of("4"), null, Row.of(9, "4", "ü€", "t2")));
            assertThat(spooled.hasNext()).isFalse();
            assertThat(file).exists();
        }
        assertThat(file).as("deleted on close").doesNotExist();
    }

    @Test
    void twoSpooledKeyRangesHandOutTheirEventsInOrderWithTheirSummariesAddedAndCloseBoth() {
        var options = DiffOptions.keyedBy("id").ignoring("exported_at");
        var lowOld = List.of(Row.of(2, "1", "a", "t1"), Row.of(3, "2", "b", "t1"));
        var lowNew = List.of(Row.of(2, "1", "A", "t2"), Row.of(3, "2", "b", "t2"));
        var highOld = List.of(Row.of(4, "5", "e", "t1"));
        var highNew = List.of(Row.of(4, "6", "f", "t2"), Row.of(5, "7", "g", "t2"));
        Path low = dir.resolve("low");
        Path high = dir.resolve("high");

        try (var both = SpooledDiff.concat(SpooledDiff.spool(diff(lowOld, lowNew, options), low),
                SpooledDiff.spool(diff(highOld, highNew, options), high))) {
            // Counted by hand: the low range one update and one unchanged row, the high one a delete and two inserts.
            assertThat(both.summary()).isEqualTo(new DiffSummary(3, 4, 2, 1, 1, 1, 0));
            assertThat(both.events()).isEqualTo(4);
            assertThat(both).toIterable().extracting(e -> e.op() + " " + e.key()).containsExactly(
                    "UPDATE [1]", "DELETE [5]", "INSERT [6]", "INSERT [7]");
            assertThat(both.hasNext()).isFalse();
        }
        assertThat(low).doesNotExist();
        assertThat(high).doesNotExist();
    }

    @Test
    void keepsReadsOfAFirstSnapshotAndMultiColumnKeys() {
        var neu = List.of(Row.of(2, "1", "x", "t"), Row.of(3, "1", "y", "t"));
        var options = new DiffOptions(List.of(io.onramp.connect.core.sort.KeyColumn.text("id"),
                io.onramp.connect.core.sort.KeyColumn.text("name")), java.util.Set.of(), true);

        try (var spooled = SpooledDiff.spool(diff(List.of(), neu, options), dir.resolve("events"))) {
            assertThat(spooled).toIterable().containsExactly(
                    new ChangeEvent(Op.READ, List.of("1", "x"), null, Row.of(2, "1", "x", "t")),
                    new ChangeEvent(Op.READ, List.of("1", "y"), null, Row.of(3, "1", "y", "t")));
            assertThat(spooled.summary()).isEqualTo(new DiffSummary(0, 2, 0, 0, 0, 0, 2));
        }
    }

    @Test
    void aDuplicateKeyAfterTheLastEventFailsTheSpoolAndLeavesNoFile() {
        var old = List.of(Row.of(2, "1", "a", "t"));
        // The change on key 1 comes first; the duplicate only at the end: nothing may be handed out.
        var neu = List.of(Row.of(2, "1", "changed", "t"), Row.of(3, "5", "e", "t"), Row.of(4, "5", "e", "t"));
        Path file = dir.resolve("events");

        assertThatThrownBy(() -> SpooledDiff.spool(diff(old, neu, DiffOptions.keyedBy("id")), file))
                .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("lines 3 and 4");
        assertThat(file).doesNotExist();
    }

    @Test
    void anUnchangedSnapshotSpoolsNothing() throws Exception {
        var rows = List.of(Row.of(2, "1", "a", "t"), Row.of(3, "2", "b", "t"));
        Path file = dir.resolve("events");

        try (var spooled = SpooledDiff.spool(diff(rows, rows, DiffOptions.keyedBy("id")), file)) {
            assertThat(spooled.hasNext()).isFalse();
            assertThat(spooled.summary().unchanged()).isEqualTo(2);
            assertThat(Files.size(file)).as("the end marker alone").isEqualTo(1);
        }
    }
}
