package io.onramp.connect.core.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetMapsTest {

    @Test
    void iteratesInKeyOrderWhateverOrderTheEntriesWereGivenIn() {
        var a = OffsetMaps.of("size", 10L, "file", "a.csv", "modified", 7L);
        var b = OffsetMaps.of("modified", 7L, "size", 10L, "file", "a.csv");
        assertThat(List.copyOf(a.keySet())).containsExactly("file", "modified", "size");
        assertThat(List.copyOf(b.entrySet())).isEqualTo(List.copyOf(a.entrySet()));
    }

    @Test
    void orderedCopiesAnyMapIntoKeyOrder() {
        var shuffled = new LinkedHashMap<String, Object>();
        shuffled.put("z", 1);
        shuffled.put("a", 2);
        assertThat(List.copyOf(OffsetMaps.ordered(shuffled).keySet())).containsExactly("a", "z");
    }

    @Test
    void allOrdersListsEveryPermutationOfTheEntriesOnce() {
        var orders = OffsetMaps.allOrders(Map.of("file", "a.csv", "size", 10L, "modified", 7L));
        var keyOrders = new HashSet<List<String>>();
        orders.forEach(order -> keyOrders.add(List.copyOf(order.keySet())));
        assertThat(orders).hasSize(6).allMatch(order -> order.equals(Map.of("file", "a.csv", "size", 10L, "modified", 7L)));
        assertThat(keyOrders).hasSize(6);
    }

    @Test
    void rejectsOddArgumentsAndDuplicateKeys() {
        assertThatThrownBy(() -> OffsetMaps.of("file")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OffsetMaps.of("file", "a", "file", "b")).hasMessageContaining("duplicate key file");
    }
}
