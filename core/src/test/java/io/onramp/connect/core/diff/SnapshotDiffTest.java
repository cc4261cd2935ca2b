package io.onramp.connect.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.diff.ChangeEvent.Op;
import io.onramp.connect.core.sort.DuplicateKeyException;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowCodec;
import io.onramp.connect.core.sort.RowLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotDiffTest {

    private static final RowLayout LAYOUT = RowLayout.of("id", "name", "exported_at");
    private static final DiffOptions BY_ID = DiffOptions.keyedBy("id");

    private static List<Row> rows(String[]... values) {
        var rows = new ArrayList<Row>();
        for (String[] row : values) {
            rows.add(Row.of(rows.size() + 1, row));
        }
        return rows;
    }

    private static String[] r(String... values) {
        return values;
    }

    private record Result(List<ChangeEvent> events, DiffSummary summary) {
        List<String> ops() {
            return events.stream().map(e -> e.op() + ":" + String.join("/", e.key())).toList();
        }
    }

    /** Diffs the rows as rows, and again encoded (the byte path); both must agree, failures included. */
    private static Result diff(RowLayout oldLayout, List<Row> old, RowLayout newLayout, List<Row> neu, DiffOptions options) {
        var events = new ArrayList<ChangeEvent>();
        var encodedEvents = new ArrayList<ChangeEvent>();
        RuntimeException failure = null;
        RuntimeException encodedFailure = null;
        DiffSummary summary = null;
        DiffSummary encodedSummary = null;
        try {
            summary = SnapshotDiff.run(oldLayout, old.iterator(), newLayout, neu.iterator(), options, events::add);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            encodedSummary = SnapshotDiff.run(oldLayout, RowCodec.encoding(old.iterator()), newLayout,
                    RowCodec.encoding(neu.iterator()), options, encodedEvents::add);
        } catch (RuntimeException e) {
            encodedFailure = e;
        }
        if (failure != null || encodedFailure != null) {
            assertThat(encodedFailure).as("encoded path failure").isNotNull()
                    .hasMessage(failure == null ? null : failure.getMessage());
            assertThat(encodedFailure.getClass()).isEqualTo(failure.getClass());
            throw failure;
        }
        assertThat(encodedEvents).isEqualTo(events);
        assertThat(encodedSummary).isEqualTo(summary);
        return new Result(events, summary);
    }

    private static Result diff(List<Row> old, List<Row> neu) {
        return diff(LAYOUT, old, LAYOUT, neu, BY_ID);
    }

    @Test
    void emitsInsertForEveryRowWhenOldSnapshotIsEmpty() {
        var result = diff(List.of(), rows(r("1", "a", "t1"), r("2", "b", "t1")));
        assertThat(result.ops()).containsExactly("INSERT:1", "INSERT:2");
        assertThat(result.events().get(0).after().get(1)).isEqualTo("a");
        assertThat(result.summary()).isEqualTo(new DiffSummary(0, 2, 2, 0, 0, 0, 0));
    }

    @Test
    void emitsReadForEveryRowOfFirstSnapshotWhenAsked() {
        var result = diff(LAYOUT, List.of(), LAYOUT, rows(r("1", "a", "t1"), r("2", "b", "t1")),
                BY_ID.withReadsForFirstSnapshot(true));
        assertThat(result.ops()).containsExactly("READ:1", "READ:2");
        assertThat(result.summary().reads()).isEqualTo(2);
        assertThat(result.summary().inserts()).isZero();
    }

    @Test
    void emitsInsertsNotReadsWhenOldSnapshotHasRowsEvenIfAsked() {
        var result = diff(LAYOUT, rows(r("1", "a", "t1")), LAYOUT, rows(r("1", "a", "t1"), r("2", "b", "t1")),
                BY_ID.withReadsForFirstSnapshot(true));
        assertThat(result.ops()).containsExactly("INSERT:2");
    }

    @Test
    void emitsDeleteForEveryRowWhenNewSnapshotIsEmpty() {
        var result = diff(rows(r("1", "a", "t1"), r("2", "b", "t1")), List.of());
        assertThat(result.ops()).containsExactly("DELETE:1", "DELETE:2");
        assertThat(result.events()).allSatisfy(e -> assertThat(e.after()).isNull());
        assertThat(result.events().get(1).before().get(1)).isEqualTo("b");
        assertThat(result.summary()).isEqualTo(new DiffSummary(2, 0, 0, 0, 2, 0, 0));
    }

    @Test
    void emitsNothingWhenBothSnapshotsAreEmpty() {
        var result = diff(List.of(), List.of());
        assertThat(result.events()).isEmpty();
        assertThat(result.summary()).isEqualTo(new DiffSummary(0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void deletesAllRowsReplacedByOthers() {
        var result = diff(rows(r("1", "a", "t"), r("3", "c", "t")), rows(r("2", "b", "t"), r("4", "d", "t")));
        assertThat(result.ops()).containsExactly("DELETE:1", "INSERT:2", "DELETE:3", "INSERT:4");
    }

    @Test
    void emitsUpdateWithBeforeAndAfterWhenAComparedColumnChanges() {
        var result = diff(rows(r("1", "a", "t"), r("2", "b", "t"), r("3", "c", "t")),
                rows(r("1", "a", "t"), r("2", "B", "t"), r("3", "c", "t")));
        assertThat(result.ops()).containsExactly("UPDATE:2");
        var update = result.events().get(0);
        assertThat(update.before().get(1)).isEqualTo("b");
        assertThat(update.after().get(1)).isEqualTo("B");
        assertThat(result.summary()).isEqualTo(new DiffSummary(3, 3, 0, 1, 0, 2, 0));
    }

    @Test
    void detectsChangeBetweenNullAndEmptyString() {
        var result = diff(rows(r("1", null, "t")), rows(r("1", "", "t")));
        assertThat(result.ops()).containsExactly("UPDATE:1");
    }

    @Test
    void emitsNothingWhenSameRowsComeWithColumnsInAnotherOrder() {
        var reordered = RowLayout.of("exported_at", "name", "id");
        var result = diff(LAYOUT, rows(r("1", "a", "t"), r("2", "b", "t")),
                reordered, rows(r("t", "a", "1"), r("t", "b", "2")), BY_ID);
        assertThat(result.events()).isEmpty();
        assertThat(result.summary().unchanged()).isEqualTo(2);
    }

    @Test
    void matchesCompositeKeyListedInAnotherColumnOrder() {
        var oldLayout = RowLayout.of("region", "id", "v");
        var newLayout = RowLayout.of("id", "v", "region");
        var options = DiffOptions.keyedBy("region", "id");
        var result = diff(oldLayout, rows(r("eu", "1", "x"), r("eu", "2", "y"), r("us", "1", "z")),
                newLayout, rows(r("1", "x", "eu"), r("2", "Y", "eu"), r("3", "w", "eu"), r("1", "z", "us")), options);
        assertThat(result.ops()).containsExactly("UPDATE:eu/2", "INSERT:eu/3");
    }

    @Test
    void ignoresChangesInIgnoredColumns() {
        var result = diff(LAYOUT, rows(r("1", "a", "2024-01-01")), LAYOUT, rows(r("1", "a", "2024-01-02")),
                BY_ID.ignoring("exported_at"));
        assertThat(result.events()).isEmpty();
        assertThat(result.summary().unchanged()).isEqualTo(1);
    }

    @Test
    void rejectsIgnoredColumnPresentInNeitherSnapshot() {
        assertThatThrownBy(() -> diff(LAYOUT, List.of(), LAYOUT, List.of(), BY_ID.ignoring("exported")))
                .hasMessageContaining("'exported' is in neither snapshot");
    }

    @Test
    void treatsColumnAddedToNewSnapshotAsNullInOld() {
        var wider = RowLayout.of("id", "name", "exported_at", "email");
        var result = diff(LAYOUT, rows(r("1", "a", "t"), r("2", "b", "t")),
                wider, rows(r("1", "a", "t", null), r("2", "b", "t", "b@x")), BY_ID);
        assertThat(result.ops()).containsExactly("UPDATE:2");
    }

    @Test
    void matchesNumericKeysInNumericOrder() {
        var options = new DiffOptions(List.of(KeyColumn.numeric("id")), Set.of(), false);
        var result = diff(LAYOUT, rows(r("2", "a", "t"), r("10", "b", "t")),
                LAYOUT, rows(r("2", "a", "t"), r("9", "n", "t"), r("10", "B", "t")), options);
        assertThat(result.ops()).containsExactly("INSERT:9", "UPDATE:10");
    }

    @Test
    void failsOnInputNotSortedByKey() {
        assertThatThrownBy(() -> diff(List.of(), rows(r("2", "a", "t"), r("1", "b", "t"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("new snapshot is not sorted").hasMessageContaining("line 2");
    }

    @Test
    void aSideOutOfKeyOrderIsNamedByColumnsAndLinesNeverByTheKeyValues() {
        // Key values may be personal data: the message locates the rows instead (both paths, both sides).
        var layout = RowLayout.of("email", "name", "exported_at");
        var options = DiffOptions.keyedBy("email");
        List<Row> unsorted = rows(r("secret@example.com", "a", "t"), r("alice@example.com", "b", "t"));
        for (boolean oldSide : new boolean[] {true, false}) {
            List<Row> old = oldSide ? unsorted : List.of();
            List<Row> neu = oldSide ? List.of() : unsorted;
            String side = oldSide ? "old" : "new";
            assertThatThrownBy(() -> SnapshotDiff.run(layout, old.iterator(), layout, neu.iterator(), options, e -> { }))
                    .as("rows, " + side).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("The " + side + " snapshot is not sorted by [email]")
                    .hasMessageContaining("line 2 follows line 1")
                    .message().doesNotContain("secret@example.com").doesNotContain("alice@example.com");
            assertThatThrownBy(() -> SnapshotDiff.run(layout, RowCodec.encoding(old.iterator()), layout,
                    RowCodec.encoding(neu.iterator()), options, e -> { }))
                    .as("encoded, " + side).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("The " + side + " snapshot is not sorted by [email]")
                    .hasMessageContaining("line 2 follows line 1")
                    .message().doesNotContain("secret@example.com").doesNotContain("alice@example.com");
        }
    }

    @Test
    void aLowerHalfOfTheOldSnapshotMustEndBeforeTheRowWhereTheUpperHalfStarts() {
        var layout = RowLayout.of("email", "name", "exported_at");
        var options = DiffOptions.keyedBy("email");
        var encoder = new RowCodec.Encoder();
        encoder.encode(Row.of(9, "m@example.com", "cut", "t"));
        var key = io.onramp.connect.core.sort.RowKey.of(layout, options.keyColumns());
        var cut = new io.onramp.connect.core.sort.KeyBoundary(key, key, encoder.array(), 0, encoder.length());
        List<Row> below = rows(r("a@example.com", "a", "t"), r("b@example.com", "b", "t"));
        var events = new ArrayList<ChangeEvent>();
        SnapshotDiff.ofSortedNewBelow(layout, RowCodec.encoding(below.iterator()), layout,
                RowCodec.encoding(List.<Row>of().iterator()), options, cut).forEachRemaining(events::add);
        assertThat(events).extracting(ChangeEvent::op).containsExactly(ChangeEvent.Op.DELETE, ChangeEvent.Op.DELETE);

        // Sorted in itself, but its last row belongs to the upper half: named by line, never by key value.
        List<Row> across = rows(r("a@example.com", "a", "t"), r("secret@example.com", "s", "t"));
        assertThatThrownBy(() -> SnapshotDiff.ofSortedNewBelow(layout, RowCodec.encoding(across.iterator()), layout,
                RowCodec.encoding(List.<Row>of().iterator()), options, cut).forEachRemaining(e -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The old snapshot is not sorted by [email]: line 2 sorts at or after the row")
                .message().doesNotContain("secret@example.com").doesNotContain("m@example.com");
    }

    @Test
    void failsOnDuplicateKeyInOldSnapshotNamingBothLines() {
        assertThatThrownBy(() -> diff(rows(r("1", "a", "t"), r("1", "b", "t")), List.of()))
                .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("lines 1 and 2");
    }

    @Test
    void failsOnRowWithWrongNumberOfValues() {
        assertThatThrownBy(() -> diff(List.of(), rows(r("1", "a"))))
                .hasMessageContaining("Line 1 of the new snapshot has 2 values for 3 columns");
    }

    @Test
    void pullsEventsLazilyOneRowPerSide() {
        var old = rows(r("1", "a", "t"), r("2", "b", "t"));
        var pulled = new int[1];
        var neu = rows(r("1", "A", "t"), r("2", "b", "t"), r("3", "c", "t")).iterator();
        var counting = new java.util.Iterator<Row>() {
            public boolean hasNext() {
                return neu.hasNext();
            }

            public Row next() {
                pulled[0]++;
                return neu.next();
            }
        };
        var diff = SnapshotDiff.of(LAYOUT, old.iterator(), LAYOUT, counting, BY_ID);
        assertThat(diff.next().op()).isEqualTo(Op.UPDATE);
        assertThat(pulled[0]).isEqualTo(2); // the current row and the one looked ahead, no more
    }
}
