package io.onramp.connect.core.diff;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.sort.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeEventTest {

    private static final Row ROW = Row.of(3, "7", "alice@example.com");

    @Test
    void anEventWithTheWrongRowsNamesTheRuleButNoRowValue() {
        assertThatThrownBy(() -> new ChangeEvent(ChangeEvent.Op.INSERT, List.of("7"), ROW, ROW))
                .hasMessage("INSERT event needs an after row and no before row; it has a before row and an after row");
        assertThatThrownBy(() -> new ChangeEvent(ChangeEvent.Op.DELETE, List.of("7"), ROW, ROW))
                .hasMessage("DELETE event needs a before row and no after row; it has a before row and an after row");
        assertThatThrownBy(() -> new ChangeEvent(ChangeEvent.Op.UPDATE, List.of("7"), null, ROW))
                .hasMessage("UPDATE event needs a before and an after row; it has no before row and an after row");
    }
}
