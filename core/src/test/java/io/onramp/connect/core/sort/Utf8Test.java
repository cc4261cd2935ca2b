package io.onramp.connect.core.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void judgesUtf8ExactlyAsTheJdkDecoderReportingMalformedInputDoes() {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        // Every byte pair, then random sequences of the bytes where UTF-8's rules change, in a longer array.
        int[] edges = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
            0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        var random = new Random(17);
        byte[] array = new byte[16];
        long valid = 0;
        for (int n = 0; n < 65_536 + 500_000; n++) {
            int length;
            if (n < 65_536) {
                length = 2;
                array[3] = (byte) (n >> 8);
                array[4] = (byte) n;
            } else {
                length = random.nextInt(7);
                for (int i = 0; i < length; i++) {
                    array[3 + i] = (byte) edges[random.nextInt(edges.length)];
                }
            }
            array[3 + length] = (byte) 0x80; // a continuation byte right after: must not be read
            boolean expected;
            try {
                decoder.reset().decode(java.nio.ByteBuffer.wrap(array, 3, length));
                expected = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                expected = false;
            }
            if (Utf8.wellFormed(array, 3, length) != expected) {
                assertThat(Utf8.wellFormed(array, 3, length))
                        .as(java.util.HexFormat.of().formatHex(array, 3, 3 + length)).isEqualTo(expected);
            }
            valid += expected ? 1 : 0;
        }
        assertThat(valid).as("both answers are common").isBetween(50_000L, 500_000L);
    }
}
