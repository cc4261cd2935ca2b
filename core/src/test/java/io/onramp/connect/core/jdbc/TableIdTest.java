package io.onramp.connect.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableIdTest {

    @Test
    void parsesOneTwoAndThreePartNames() {
        assertThat(TableId.parse("orders")).isEqualTo(new TableId(null, null, "orders"));
        assertThat(TableId.parse("public.orders")).isEqualTo(new TableId(null, "public", "orders"));
        assertThat(TableId.parse("db.public.orders")).isEqualTo(new TableId("db", "public", "orders"));
    }

    @Test
    void quotedPartsHoldDotsAndDoubledQuotes() {
        TableId id = TableId.parse("\"my.schema\".\"odd\"\"name; DROP TABLE x\"");
        assertThat(id).isEqualTo(new TableId(null, "my.schema", "odd\"name; DROP TABLE x"));
        assertThat(TableId.parse(id.toConfigText())).isEqualTo(id);
    }

    @Test
    void rejectsEmptyPartsAndUnclosedQuotes() {
        assertThatThrownBy(() -> TableId.parse("a..b")).hasMessageContaining("empty name part");
        assertThatThrownBy(() -> TableId.parse("\"abc")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> TableId.parse("a.b.c.d")).hasMessageContaining("more than three");
        assertThatThrownBy(() -> TableId.parse(" ")).hasMessageContaining("empty");
    }

    @Test
    void matchesIgnoresPartsEitherSideLeavesOut() {
        assertThat(TableId.parse("orders").matches(TableId.parse("public.orders"))).isTrue();
        assertThat(TableId.parse("sales.orders").matches(TableId.parse("public.orders"))).isFalse();
    }
}
