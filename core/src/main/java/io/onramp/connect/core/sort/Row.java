package io.onramp.connect.core.sort;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * One row of a snapshot: its column values as text (any may be {@code null}) and the line number
 * in the source it came from, kept only so errors can point the user at the offending line.
 *
 * <p>Values are text on purpose: the engine sorts, compares and spills rows without knowing
 * their types; the connector converts them to schema types when it builds records.
 */
public record Row(List<String> values, long lineNumber) {

    /** Fixed cost of a row on the heap: record, list wrapper, array header. An estimate, not a measurement. */
    private static final int ROW_OVERHEAD = 64;
    /** Per value: the reference, the String object and its backing array header. */
    private static final int VALUE_OVERHEAD = 48;

    public Row {
        // Copy into our own immutable, null-tolerant list (List.copyOf rejects nulls).
        values = values instanceof Values own ? own : new Values(values.toArray(new String[0]));
    }

    /** A row from the given values; the array is copied. */
    public static Row of(long lineNumber, String... values) {
        return new Row(new Values(values.clone()), lineNumber);
    }

    /** Takes ownership of {@code values} without copying; for readers that build a fresh array per row. */
    static Row wrap(long lineNumber, String[] values) {
        return new Row(new Values(values), lineNumber);
    }

    public String get(int index) {
        return values.get(index);
    }

    public int size() {
        return values.size();
    }

    /**
     * Rough heap footprint, used by {@link ExternalSorter} to decide when to spill. Counts two
     * bytes per char (the worst case: compact strings halve it for Latin-1 text), so the budget
     * errs on the side of spilling early.
     */
    public long estimatedBytes() {
        long bytes = ROW_OVERHEAD;
        for (String value : values) {
            bytes += VALUE_OVERHEAD + (value == null ? 0 : 2L * value.length());
        }
        return bytes;
    }

    /** Immutable list over an array we own; allows nulls, unlike {@code List.of}. */
    private static final class Values extends AbstractList<String> implements RandomAccess {
        private final String[] array;

        Values(String[] array) {
            this.array = array;
        }

        @Override
        public String get(int index) {
            return array[index];
        }

        @Override
        public int size() {
            return array.length;
        }

        @Override
        public Object[] toArray() {
            return Arrays.copyOf(array, array.length, Object[].class);
        }
    }
}
