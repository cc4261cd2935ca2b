package io.onramp.connect.sink.jdbc.mapping;

import io.onramp.connect.core.jdbc.TableId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.junit.jupiter.api.Test;

class TableNameFormatTest {

    @Test
    void topicDotsBecomeUnderscores() {
        assertThat(TableNameFormat.parse("${topic}").resolve("sales.orders.v2", null))
                .isEqualTo(new TableId(null, null, "sales_orders_v2"));
    }

    @Test
    void aDotInTheFormatSeparatesSchemaAndTable() {
        assertThat(TableNameFormat.parse("reporting.t_${topic}").resolve("a.b", null))
                .isEqualTo(new TableId(null, "reporting", "t_a_b"));
    }

    @Test
    void productPlaceholdersComeFromAProductTopicName() {
        var format = TableNameFormat.parse("${domain}.${product}_v${version}");
        assertThat(format.needsProduct()).isTrue();
        assertThat(format.resolve("sales.orders.v3", ProductRef.of("sales.orders.v3", new ConnectHeaders())))
                .isEqualTo(new TableId(null, "sales", "orders_v3"));
    }

    @Test
    void productHeadersWinOverTheTopicName() {
        var headers = new ConnectHeaders().addString("onramp.product", "crm.customers").addInt("onramp.contract.version", 4);
        assertThat(ProductRef.of("anything", headers)).isEqualTo(new ProductRef("crm", "customers", 4));
        assertThat(TableNameFormat.parse("${product}_v${version}").resolve("anything", ProductRef.of("anything", headers)))
                .isEqualTo(new TableId(null, null, "customers_v4"));
    }

    @Test
    void aRecordWithoutProductIsAnErrorWhenTheFormatNeedsOne() {
        var format = TableNameFormat.parse("${product}");
        assertThatThrownBy(() -> format.resolve("plain-topic", ProductRef.of("plain-topic", new ConnectHeaders())))
                .isInstanceOf(DataException.class).hasMessageContaining("plain-topic").hasMessageContaining("onramp.product");
    }

    @Test
    void badFormatsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> TableNameFormat.parse("${topics}")).hasMessageContaining("${topics} is unknown");
        assertThatThrownBy(() -> TableNameFormat.parse("a.b.${topic}")).hasMessageContaining("more than one dot");
        assertThatThrownBy(() -> TableNameFormat.parse("x_${topic")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> TableNameFormat.parse(".${topic}")).hasMessageContaining("empty");
    }

    @Test
    void hostileLiteralTextIsKeptAsIs() {
        assertThat(TableNameFormat.parse("we\"ird `t` ${topic}").resolve("x", null))
                .isEqualTo(new TableId(null, null, "we\"ird `t` x"));
    }
}
