package io.onramp.connect.core.sort;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** UTF-8 checked on the bytes, without a decoder. */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8() {
    }

    /**
     * Whether {@code a[start, start + length)} is well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no
     * surrogates, nothing above U+10FFFF), exactly what the JDK's decoder accepts when it reports malformed input;
     * without the decoder's buffers, on the bytes.
     */
    static boolean wellFormed(byte[] a, int start, int length) {
        int p = start;
        int end = start + length;
        while (p < end) {
            // ASCII eight bytes at a time: most text is, and most fields are all ASCII.
            while (p + 8 <= end && ((long) LONGS.get(a, p) & 0x8080808080808080L) == 0) {
                p += 8;
            }
            if (p >= end) {
                break;
            }
            int b = a[p];
            if (b >= 0) {
                p++;
                continue;
            }
            b &= 0xFF;
            int need;
            int low = 0x80;
            int high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                if (b == 0xE0) {
                    low = 0xA0;
                } else if (b == 0xED) {
                    high = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                if (b == 0xF0) {
                    low = 0x90;
                } else if (b == 0xF4) {
                    high = 0x8F;
                }
            } else {
                return false;
            }
            if (p + need >= end) {
                return false; // cut short
            }
            int second = a[p + 1] & 0xFF;
            if (second < low || second > high) {
                return false;
            }
            for (int i = 2; i <= need; i++) {
                int next = a[p + i] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            p += need + 1;
        }
        return true;
    }
}
