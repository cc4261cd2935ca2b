package io.onramp.connect.source.file.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SnapshotOrderTest {

    @Test
    void ordersByTheDateInTheNameNotByTheName() {
        var order = SnapshotOrder.byDate(Pattern.compile("_(\\d{2}\\.\\d{2}\\.\\d{4})"), "dd.MM.yyyy");

        String december = order.keyOf("b_01.12.2026.csv");
        String january = order.keyOf("a_05.01.2027.csv");

        assertThat(december).isLessThan(january);
    }

    @Test
    void ordersByNameByDefault() {
        var order = SnapshotOrder.byName();

        assertThat(order.keyOf("dump-2")).isLessThan(order.keyOf("dump-3"));
    }

    @Test
    void rejectsANameWithoutADate() {
        var order = SnapshotOrder.byDate(Pattern.compile("(\\d{8})"), "yyyyMMdd");

        assertThatThrownBy(() -> order.keyOf("customers.csv")).hasMessageContaining("snapshot.date.pattern");
    }

    @Test
    void rejectsADateThatDoesNotParse() {
        var order = SnapshotOrder.byDate(Pattern.compile("(\\d{8})"), "yyyyMMdd");

        assertThatThrownBy(() -> order.keyOf("customers-20261340.csv")).hasMessageContaining("snapshot.date.format");
    }
}
