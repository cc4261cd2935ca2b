package io.onramp.connect.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowHasherTest {

    @Test
    void matchesPublishedMurmur3Vector() {
        // Reference value of MurmurHash3_x64_128 (seed 0), as published with Guava's and smhasher's tests.
        byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
        long[] hash = RowHasher.murmur3(fox, fox.length);
        assertThat(hash[0]).isEqualTo(0xe34bbc7bbc071b6cL);
        assertThat(hash[1]).isEqualTo(0x7a433ca9c49a9347L);
    }

    @Test
    void hashesSameContentTheSameWhateverTheColumnOrder() {
        var a = new RowHasher(RowLayout.of("id", "x", "y"), List.of("x", "y"));
        var b = new RowHasher(RowLayout.of("y", "id", "x"), List.of("x", "y"));
        assertThat(b.hash(Row.of(9, "2", "k", "1"))).isEqualTo(a.hash(Row.of(1, "k", "1", "2")));
    }

    @Test
    void keepsValueBoundariesApart() {
        var hasher = new RowHasher(RowLayout.of("x", "y"), List.of("x", "y"));
        assertThat(hasher.hash(Row.of(1, "ab", "c"))).isNotEqualTo(hasher.hash(Row.of(1, "a", "bc")));
        assertThat(hasher.hash(Row.of(1, null, "c"))).isNotEqualTo(hasher.hash(Row.of(1, "", "c")));
    }
}
