package io.onramp.connect.core.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowKeyTest {

    private static final RowLayout LAYOUT = RowLayout.of("id");

    private static List<String> sortedIds(RowKey key, String... ids) {
        var rows = new ArrayList<Row>();
        for (String id : ids) {
            rows.add(Row.of(rows.size() + 1, id));
        }
        rows.sort(key);
        return rows.stream().map(r -> r.get(0)).toList();
    }

    @Test
    void ordersNumericKeysByValueNotText() {
        var key = RowKey.of(LAYOUT, List.of(KeyColumn.numeric("id")));
        assertThat(sortedIds(key, "10", "9", "-3", "100000000000000000000", "2.5", null, "+4"))
                .containsExactly(null, "-3", "2.5", "+4", "9", "10", "100000000000000000000");
    }

    @Test
    void ordersTextKeysByCodeUnitsWithNullsFirst() {
        var key = RowKey.text(LAYOUT, "id");
        assertThat(sortedIds(key, "10", "9", "B", "a", null)).containsExactly(null, "10", "9", "B", "a");
    }

    @Test
    void treatsNumericallyEqualKeysAsTheSameKey() {
        var key = RowKey.of(LAYOUT, List.of(KeyColumn.numeric("id")));
        assertThat(key.compare(Row.of(1, "007"), Row.of(2, "7"))).isZero();
        assertThat(key.compare(Row.of(1, "7.0"), Row.of(2, "7"))).isZero();
    }

    @Test
    void rejectsTextInNumericKeyNamingColumnLineAndRuleButNotTheValue() {
        var key = RowKey.of(LAYOUT, List.of(KeyColumn.numeric("id")));
        assertThatThrownBy(() -> key.compare(Row.of(1, "7"), Row.of(42, "seven@example.com")))
                .hasMessage("Key column 'id' is numeric but line 42 holds a value that is not a decimal number")
                .hasNoCause();
    }

    @Test
    void rejectsTextInNumericKeyOfEncodedRowsWithoutTheValue() {
        var key = RowKey.of(LAYOUT, List.of(KeyColumn.numeric("id")));
        byte[] mine = encoded(Row.of(1, "99999999999999999999"));
        byte[] theirs = encoded(Row.of(42, "seven@example.com"));
        var mineFields = new RowCodec.Fields();
        mineFields.scan(mine, 0, mine.length);
        var theirFields = new RowCodec.Fields();
        theirFields.scan(theirs, 0, theirs.length);
        assertThatThrownBy(() -> key.compareEncoded(mine, mineFields, key, theirs, theirFields))
                .hasMessage("Key column 'id' is numeric but line 42 holds a value that is not a decimal number")
                .hasNoCause();
    }

    private static byte[] encoded(Row row) {
        var encoder = new RowCodec.Encoder();
        encoder.encode(row);
        return java.util.Arrays.copyOf(encoder.array(), encoder.length());
    }

    @Test
    void rejectsKeyColumnMissingFromLayout() {
        assertThatThrownBy(() -> RowKey.text(LAYOUT, "code")).hasMessageContaining("'code' is not one of [id]");
    }
}
