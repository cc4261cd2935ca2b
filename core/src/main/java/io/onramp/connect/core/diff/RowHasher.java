package io.onramp.connect.core.diff;

import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowLayout;
import java.util.Arrays;
import java.util.List;

/**
 * A stable 128-bit hash (MurmurHash3 x64_128, seed 0) of a row's compared columns, taken by
 * name so the same content hashes the same whatever the column order of the snapshot.
 *
 * <p>Input to the hash, per compared column in the given name order: the value's length in
 * UTF-16 chars as a little-endian int (-1 for null, so null differs from "" and a column
 * missing from a layout counts as null), then its chars as little-endian 16-bit units. Length
 * prefixes keep {@code ["ab","c"]} and {@code ["a","bc"]} apart.
 *
 * <p>Equal hashes are taken as equal content. Murmur3 is not cryptographic, but snapshot data
 * is not adversarial here; for accidental collisions the chance that any of n changed rows
 * goes unnoticed is about n / 2^128 (10^9 changed rows: ~3e-30).
 *
 * <p>Not thread-safe: it reuses one byte buffer. One instance per diff.
 */
public final class RowHasher {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private final int[] indexes;
    private byte[] buffer = new byte[512];

    /** @param columns the compared column names, in hashing order; absent from {@code layout} hashes as null */
    public RowHasher(RowLayout layout, List<String> columns) {
        this.indexes = columns.stream().mapToInt(layout::indexOf).toArray();
    }

    /** The 128-bit hash as two longs, {@code {h1, h2}}. */
    public long[] hash(Row row) {
        int length = encode(row);
        return murmur3(buffer, length);
    }

    /** True when both rows have the same hash over their compared columns. */
    public static boolean sameContent(RowHasher oldHasher, Row oldRow, RowHasher newHasher, Row newRow) {
        return Arrays.equals(oldHasher.hash(oldRow), newHasher.hash(newRow));
    }

    private int encode(Row row) {
        int pos = 0;
        for (int index : indexes) {
            String value = index < 0 ? null : row.get(index);
            int chars = value == null ? -1 : value.length();
            pos = ensure(pos, 4 + 2 * Math.max(chars, 0));
            pos = putInt(pos, chars);
            for (int i = 0; i < chars; i++) {
                char c = value.charAt(i);
                buffer[pos++] = (byte) c;
                buffer[pos++] = (byte) (c >>> 8);
            }
        }
        return pos;
    }

    private int ensure(int pos, int more) {
        if (pos + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(pos + more, buffer.length * 2));
        }
        return pos;
    }

    private int putInt(int pos, int value) {
        buffer[pos] = (byte) value;
        buffer[pos + 1] = (byte) (value >>> 8);
        buffer[pos + 2] = (byte) (value >>> 16);
        buffer[pos + 3] = (byte) (value >>> 24);
        return pos + 4;
    }

    /** MurmurHash3_x64_128 by Austin Appleby (public domain), seed 0, over {@code data[0, length)}. */
    static long[] murmur3(byte[] data, int length) {
        long h1 = 0;
        long h2 = 0;
        int blocks = length / 16;
        for (int i = 0; i < blocks; i++) {
            long k1 = getLong(data, i * 16);
            long k2 = getLong(data, i * 16 + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        long k1 = 0;
        long k2 = 0;
        int tail = blocks * 16;
        for (int i = length - tail - 1; i >= 8; i--) {
            k2 = (k2 << 8) | (data[tail + i] & 0xFFL);
        }
        for (int i = Math.min(length - tail, 8) - 1; i >= 0; i--) {
            k1 = (k1 << 8) | (data[tail + i] & 0xFFL);
        }
        if (length - tail > 8) {
            h2 ^= mixK2(k2);
        }
        if (length - tail > 0) {
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        return new long[] {h1, h2};
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFFL);
        }
        return v;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
