package io.onramp.connect.core.diff;

import io.onramp.connect.core.sort.DuplicateKeyException;
import io.onramp.connect.core.sort.EncodedRowIterator;
import io.onramp.connect.core.sort.KeyBoundary;
import io.onramp.connect.core.sort.RowCodec;
import io.onramp.connect.core.sort.RowKey;
import io.onramp.connect.core.sort.RowLayout;
import java.util.List;

/**
 * The merge join of {@link SnapshotDiff} over encoded records: keys are compared on their
 * UTF-8 bytes through {@link RowKey#prefix} first, compared columns byte for byte, and only
 * the rows of an event are decoded. Equal bytes are equal strings, so this finds exactly
 * what hashing the decoded rows finds (without the 2^-128 chance of a collision).
 */
final class EncodedDiff {

    private final Side oldSide;
    private final Side newSide;
    private final ChangeEvent.Op insertOp;
    private final int[] segments;
    long inserts;
    long updates;
    long deletes;
    long unchanged;

    /** @param oldBelow when not null, every old row must sort before it (the old rows are a lower half) */
    EncodedDiff(RowLayout oldLayout, EncodedRowIterator oldRows, RowLayout newLayout, EncodedRowIterator newRows,
                DiffOptions options, List<String> compared, boolean newRowsChecked, KeyBoundary oldBelow) {
        this.oldSide = new Side("old", oldLayout, RowKey.of(oldLayout, options.keyColumns()), oldRows, compared,
                true, oldBelow);
        this.newSide = new Side("new", newLayout, RowKey.of(newLayout, options.keyColumns()), newRows, compared,
                !newRowsChecked, null);
        this.segments = segments(oldLayout, newLayout, compared);
        boolean first = options.readsForFirstSnapshot() && !oldSide.present;
        this.insertOp = first ? ChangeEvent.Op.READ : ChangeEvent.Op.INSERT;
    }

    ChangeEvent.Op insertOp() {
        return insertOp;
    }

    long oldCount() {
        return oldSide.count;
    }

    long newCount() {
        return newSide.count;
    }

    boolean done() {
        return !oldSide.present && !newSide.present;
    }

    /** Advances past one key; returns its event, or null when the row is unchanged. */
    ChangeEvent step() {
        int c;
        if (!oldSide.present) {
            c = 1;
        } else if (!newSide.present) {
            c = -1;
        } else {
            c = oldSide.key.prefixOrder(oldSide.prefix, newSide.prefix);
            if (c == RowKey.UNDECIDED) {
                c = oldSide.key.compareEncoded(oldSide.array(), oldSide.fields(), newSide.key, newSide.array(),
                        newSide.fields());
            }
        }
        if (c < 0) {
            var before = RowCodec.decode(oldSide.array(), oldSide.fields());
            oldSide.advance();
            deletes++;
            return new ChangeEvent(ChangeEvent.Op.DELETE, oldSide.key.values(before), before, null);
        }
        if (c > 0) {
            var after = RowCodec.decode(newSide.array(), newSide.fields());
            newSide.advance();
            inserts++;
            return new ChangeEvent(insertOp, newSide.key.values(after), null, after);
        }
        if (sameContent()) {
            oldSide.advance();
            newSide.advance();
            unchanged++;
            return null;
        }
        var before = RowCodec.decode(oldSide.array(), oldSide.fields());
        var after = RowCodec.decode(newSide.array(), newSide.fields());
        oldSide.advance();
        newSide.advance();
        updates++;
        return new ChangeEvent(ChangeEvent.Op.UPDATE, newSide.key.values(after), before, after);
    }

    private boolean sameContent() {
        RowCodec.Fields a = oldSide.fields();
        RowCodec.Fields b = newSide.fields();
        byte[] x = oldSide.array();
        byte[] y = newSide.array();
        if (segments != null) {
            for (int s = 0; s < segments.length; s += 2) {
                int first = segments[s];
                int last = segments[s + 1];
                int fromA = a.start(first) - (a.length(first) < 127 ? 1 : varIntSize(a.length(first) + 1));
                int fromB = b.start(first) - (b.length(first) < 127 ? 1 : varIntSize(b.length(first) + 1));
                int toA = a.start(last) + Math.max(0, a.length(last));
                int toB = b.start(last) + Math.max(0, b.length(last));
                if (!java.util.Arrays.equals(x, fromA, toA, y, fromB, toB)) {
                    return false;
                }
            }
            return true;
        }
        int[] ia = oldSide.compared;
        int[] ib = newSide.compared;
        for (int i = 0; i < ia.length; i++) {
            if (!a.sameValue(x, ia[i], b, y, ib[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * When both snapshots share one layout, the compared columns as runs of adjacent columns
     * ({@code first, last} pairs): each run is compared as one byte range, length prefixes
     * included, so value boundaries still count. Null otherwise.
     */
    private static int[] segments(RowLayout oldLayout, RowLayout newLayout, List<String> compared) {
        if (!oldLayout.equals(newLayout)) {
            return null;
        }
        int[] columns = compared.stream().mapToInt(oldLayout::indexOf).sorted().toArray();
        var pairs = new java.util.ArrayList<Integer>();
        for (int i = 0; i < columns.length; ) {
            int j = i;
            while (j + 1 < columns.length && columns[j + 1] == columns[j] + 1) {
                j++;
            }
            pairs.add(columns[i]);
            pairs.add(columns[j]);
            i = j + 1;
        }
        return pairs.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int varIntSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** One input: its current record, and the checks that it is well formed and strictly key-ordered. */
    private static final class Side {
        final String name;
        final RowLayout layout;
        final RowKey key;
        final EncodedRowIterator rows;
        final int[] compared;
        /** False when the rows' key order was already checked upstream (a sorter's output). */
        final boolean checkOrder;
        final RowCodec.Fields previousFields = new RowCodec.Fields();
        byte[] previous = new byte[256];
        long previousPrefix;
        boolean present;
        byte[] currentArray;
        RowCodec.Fields currentFields;
        long prefix;
        long count;

        /** When not null, the last row must sort before it. */
        final KeyBoundary below;

        Side(String name, RowLayout layout, RowKey key, EncodedRowIterator rows, List<String> comparedColumns,
             boolean checkOrder, KeyBoundary below) {
            this.name = name;
            this.below = below;
            this.checkOrder = checkOrder;
            this.layout = layout;
            this.key = key;
            this.rows = rows;
            this.compared = comparedColumns.stream().mapToInt(layout::indexOf).toArray();
            advance();
        }

        byte[] array() {
            return currentArray;
        }

        RowCodec.Fields fields() {
            return currentFields;
        }

        void advance() {
            boolean hadPrevious = present && checkOrder;
            if (hadPrevious) {
                int length = rows.encodedLength();
                if (previous.length < length) {
                    previous = new byte[Math.max(length, previous.length * 2)];
                }
                System.arraycopy(currentArray, rows.encodedOffset(), previous, 0, length);
                previousPrefix = prefix;
            }
            present = rows.advanceEncoded();
            if (!present) {
                if (hadPrevious && below != null) {
                    previousFields.scan(previous, 0, previous.length);
                    if (!below.before(previous, previousFields)) {
                        // Lines, not key values: those may be personal data.
                        throw new IllegalStateException("The " + name + " snapshot is not sorted by "
                                + key.columnNames() + ": line " + previousFields.line() + " sorts at or after the row"
                                + " where its second half starts");
                    }
                }
                return;
            }
            count++;
            // Kept until the next advance (the rows' contract): the join reads them several times per row, and
            // each read through the hand-offs' wrappers would be an interface call or two.
            currentArray = rows.encodedArray();
            currentFields = rows.encodedFields();
            RowCodec.Fields fields = currentFields;
            if (fields.count() != layout.size()) {
                throw new IllegalArgumentException("Line " + fields.line() + " of the " + name + " snapshot has "
                        + fields.count() + " values for " + layout.size() + " columns " + layout.columnNames());
            }
            prefix = key.prefix(currentArray, fields);
            if (hadPrevious) {
                int c = key.prefixOrder(previousPrefix, prefix);
                if (c != -1) {
                    previousFields.scan(previous, 0, previous.length);
                    c = key.compareEncoded(previous, previousFields, key, rows.encodedArray(), fields);
                }
                if (c == 0) {
                    throw new DuplicateKeyException(key.columnNames(), key.values(rows.encodedArray(), fields),
                            previousFields.line(), fields.line());
                }
                if (c > 0) {
                    // Lines, not key values: those may be personal data.
                    throw new IllegalStateException("The " + name + " snapshot is not sorted by " + key.columnNames()
                            + ": line " + fields.line() + " follows line " + previousFields.line()
                            + " but its key sorts before");
                }
            }
        }
    }

}
