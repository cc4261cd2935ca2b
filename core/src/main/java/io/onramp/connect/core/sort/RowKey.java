package io.onramp.connect.core.sort;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Orders rows by their key columns, resolved against one {@link RowLayout}. Two snapshots whose
 * layouts differ get two RowKeys over the same {@link KeyColumn}s; {@link #compareAcross} then
 * compares a row of one with a row of the other.
 */
public final class RowKey implements Comparator<Row> {

    private final List<KeyColumn> columns;
    private final List<String> names;
    private final int[] indexes;
    private final boolean[] numeric;

    private RowKey(RowLayout layout, List<KeyColumn> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("At least one key column is required");
        }
        this.columns = List.copyOf(columns);
        this.names = columns.stream().map(KeyColumn::name).toList();
        this.indexes = new int[columns.size()];
        this.numeric = new boolean[columns.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = layout.require(columns.get(i).name());
            numeric[i] = columns.get(i).order() == KeyColumn.Order.NUMERIC;
        }
    }

    public static RowKey of(RowLayout layout, List<KeyColumn> columns) {
        return new RowKey(layout, columns);
    }

    /** Text-ordered key over the named columns. */
    public static RowKey text(RowLayout layout, String... names) {
        return new RowKey(layout, Arrays.stream(names).map(KeyColumn::text).toList());
    }

    public List<KeyColumn> columns() {
        return columns;
    }

    public List<String> columnNames() {
        return names;
    }

    /** The key values of {@code row}, in key column order; may contain nulls. */
    public List<String> values(Row row) {
        var values = new String[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            values[i] = row.get(indexes[i]);
        }
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    @Override
    public int compare(Row a, Row b) {
        return compareAcross(a, this, b);
    }

    /**
     * Compares {@code mine} (a row of this key's layout) with {@code theirs} (a row of
     * {@code other}'s layout). Both keys must have the same column orders.
     */
    public int compareAcross(Row mine, RowKey other, Row theirs) {
        for (int i = 0; i < indexes.length; i++) {
            String x = mine.get(indexes[i]);
            String y = theirs.get(other.indexes[i]);
            int c = numeric[i] ? compareNumeric(x, mine, y, theirs, i) : compareText(x, y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** True when {@code other} orders rows the same way, so sorted streams of both can be merged. */
    public boolean sameOrderAs(RowKey other) {
        return Arrays.equals(numeric, other.numeric) && names.equals(other.names);
    }

    /**
     * The key values parsed once: String for text columns, Long or BigDecimal for numeric ones.
     * Sorting compares each row ~log n times; parsing up front makes that n parses, not n log n.
     */
    public Object[] extract(Row row) {
        var key = new Object[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            String value = row.get(indexes[i]);
            if (numeric[i] && value != null) {
                long small = parseSmallInteger(value);
                key[i] = small != NOT_SMALL ? (Object) small : toDecimal(value, row, i);
            } else {
                key[i] = value;
            }
        }
        return key;
    }

    /** Orders keys from {@link #extract} exactly as {@link #compare} orders their rows. */
    public int compareExtracted(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            Object x = a[i];
            Object y = b[i];
            int c;
            if (x == null || y == null) {
                c = x == null ? (y == null ? 0 : -1) : 1;
            } else if (x instanceof Long lx && y instanceof Long ly) {
                c = Long.compare(lx, ly);
            } else if (numeric[i]) {
                c = decimal(x).compareTo(decimal(y));
            } else {
                c = ((String) x).compareTo((String) y);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) value;
    }

    private static int compareText(String x, String y) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        return x.compareTo(y);
    }

    private int compareNumeric(String x, Row xRow, String y, Row yRow, int column) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        // Fast path: plain integers that fit a long, parsed without allocation or exceptions.
        long lx = parseSmallInteger(x);
        long ly = parseSmallInteger(y);
        if (lx != NOT_SMALL && ly != NOT_SMALL) {
            return Long.compare(lx, ly);
        }
        return toDecimal(x, xRow, column).compareTo(toDecimal(y, yRow, column));
    }

    private static final long NOT_SMALL = Long.MIN_VALUE;

    /** The value as a long when it is an optionally signed run of at most 18 digits, else NOT_SMALL. */
    private static long parseSmallInteger(String s) {
        int length = s.length();
        int start = length > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (length == start || length - start > 18) {
            return NOT_SMALL;
        }
        long value = 0;
        for (int i = start; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_SMALL;
            }
            value = value * 10 + (c - '0');
        }
        return s.charAt(0) == '-' ? -value : value;
    }

    private BigDecimal toDecimal(String value, Row row, int column) {
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw notNumeric(column, row.lineNumber());
        }
    }

    // ---- Encoded rows: keys compared on the UTF-8 bytes of RowCodec records, no strings made ----

    /** {@link #prefixOrder} could not decide from the prefixes alone: compare the records fully. */
    public static final int UNDECIDED = 2;
    private static final long UNKNOWN = 0;

    /**
     * A 64-bit summary of the record's first key value, ordered (as unsigned longs) like the
     * values themselves wherever {@link #prefixOrder} says it decides. Numeric: a plain integer
     * of up to 18 digits, exactly; anything else is UNKNOWN. Text: the first 8 UTF-8 bytes,
     * zero padded; from a byte {@code >= 0xEE} on (where UTF-8 byte order and the UTF-16 order
     * of {@link String#compareTo} can part) the rest is filled with 0xFF, so it never decides there.
     */
    public long prefix(byte[] b, RowCodec.Fields fields) {
        int index = indexes[0];
        if (index >= fields.count()) {
            throw new IllegalArgumentException("Line " + fields.line() + " has " + fields.count()
                    + " values, too few for key column '" + names.get(0) + "'");
        }
        int start = fields.start(index);
        int length = fields.length(index);
        if (numeric[0]) {
            long value = length < 0 ? NOT_SMALL : parseSmallInteger(b, start, length);
            return value == NOT_SMALL ? UNKNOWN : value ^ Long.MIN_VALUE;
        }
        long prefix = 0;
        int n = Math.max(0, Math.min(8, length));
        int i = 0;
        for (; i < n; i++) {
            int x = b[start + i] & 0xFF;
            if (x >= 0xEE) {
                break;
            }
            prefix = (prefix << 8) | x;
        }
        int rest = 8 - i;
        if (rest == 8) {
            return i < n ? -1L : 0L;
        }
        prefix <<= 8 * rest;
        if (i < n) {
            prefix |= -1L >>> (64 - 8 * rest);
        }
        return prefix;
    }

    /**
     * Orders two prefixes from {@link #prefix}: -1 or 1 when they decide, 0 when the keys are
     * known equal (a single numeric key column), {@link #UNDECIDED} when only
     * {@link #compareEncoded} can tell.
     */
    public int prefixOrder(long a, long b) {
        if (numeric[0]) {
            if (a == UNKNOWN || b == UNKNOWN) {
                return UNDECIDED;
            }
            int c = Long.compareUnsigned(a, b);
            return c != 0 ? Integer.signum(c) : (indexes.length == 1 ? 0 : UNDECIDED);
        }
        int c = Long.compareUnsigned(a, b);
        return c != 0 ? Integer.signum(c) : UNDECIDED;
    }

    /**
     * Compares two encoded records as {@link #compareAcross} compares their rows: {@code mine}
     * of this key's layout, {@code theirs} of {@code other}'s.
     */
    public int compareEncoded(byte[] a, RowCodec.Fields mine, RowKey other, byte[] b, RowCodec.Fields theirs) {
        for (int i = 0; i < indexes.length; i++) {
            int ia = indexes[i];
            int ib = other.indexes[i];
            if (ia >= mine.count() || ib >= theirs.count()) {
                RowCodec.Fields shorter = ia >= mine.count() ? mine : theirs;
                throw new IllegalArgumentException("Line " + shorter.line() + " has " + shorter.count()
                        + " values, too few for key column '" + names.get(i) + "'");
            }
            int la = mine.length(ia);
            int lb = theirs.length(ib);
            int c;
            if (la < 0 || lb < 0) {
                c = la < 0 ? (lb < 0 ? 0 : -1) : 1;
            } else if (numeric[i]) {
                long x = parseSmallInteger(a, mine.start(ia), la);
                long y = parseSmallInteger(b, theirs.start(ib), lb);
                if (x != NOT_SMALL && y != NOT_SMALL) {
                    c = Long.compare(x, y);
                } else {
                    c = decimal(mine.value(a, ia), mine.line(), i).compareTo(decimal(theirs.value(b, ib), theirs.line(), i));
                }
            } else {
                c = compareUtf8AsUtf16(a, mine.start(ia), la, b, theirs.start(ib), lb);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The key values of an encoded record, for messages and change events. */
    public List<String> values(byte[] b, RowCodec.Fields fields) {
        var values = new String[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            values[i] = indexes[i] < fields.count() ? fields.value(b, indexes[i]) : null;
        }
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    /**
     * UTF-8 bytes compared in the order {@link String#compareTo} gives their strings. Byte order
     * is code point order, which is UTF-16 order except between a supplementary character
     * (lead byte F0-F4, a surrogate pair in UTF-16) and U+E000-U+FFFF (lead byte EE or EF).
     */
    static int compareUtf8AsUtf16(byte[] a, int aStart, int aLength, byte[] b, int bStart, int bLength) {
        int mismatch = Arrays.mismatch(a, aStart, aStart + aLength, b, bStart, bStart + bLength);
        if (mismatch < 0) {
            return 0;
        }
        if (mismatch >= aLength || mismatch >= bLength) {
            return aLength < bLength ? -1 : 1;
        }
        int x = a[aStart + mismatch] & 0xFF;
        int y = b[bStart + mismatch] & 0xFF;
        int c = x < y ? -1 : 1;
        boolean xHigh = x >= 0xF0;
        boolean yHigh = y >= 0xF0;
        if ((xHigh && (y == 0xEE || y == 0xEF)) || (yHigh && (x == 0xEE || x == 0xEF))) {
            return -c;
        }
        return c;
    }

    private BigDecimal decimal(String value, long line, int column) {
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw notNumeric(column, line);
        }
    }

    /**
     * The key value is row data: the error names the column, the line and the rule, never the value (nor does it
     * chain the parser's exception, whose text quotes it).
     */
    private IllegalArgumentException notNumeric(int column, long line) {
        return new IllegalArgumentException("Key column '" + names.get(column) + "' is numeric but line " + line
                + " holds a value that is not a decimal number");
    }

    /** As {@link #parseSmallInteger(String)}, over UTF-8 bytes. */
    private static long parseSmallInteger(byte[] b, int start, int length) {
        int first = length > 0 ? b[start] : 0;
        int skip = first == '-' || first == '+' ? 1 : 0;
        if (length == skip || length - skip > 18) {
            return NOT_SMALL;
        }
        long value = 0;
        for (int i = start + skip, end = start + length; i < end; i++) {
            int c = b[i];
            if (c < '0' || c > '9') {
                return NOT_SMALL;
            }
            value = value * 10 + (c - '0');
        }
        return first == '-' ? -value : value;
    }
}
