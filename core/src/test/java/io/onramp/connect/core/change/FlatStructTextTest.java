package io.onramp.connect.core.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class FlatStructTextTest {

    private static final Schema ROW = SchemaBuilder.struct().name("Row")
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("balance", Decimal.builder(2).optional().build())
            .field("born", Date.builder().optional().build())
            .field("seen", Timestamp.builder().optional().build())
            .field("flag", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("ratio", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();

    private final FlatStructText text = new FlatStructText(ROW);

    @Test
    void roundTripsEveryTypeExactly() {
        Struct row = new Struct(ROW).put("id", 7L).put("name", "").put("balance", new BigDecimal("12.50"))
                .put("born", new java.util.Date(86_400_000L * 3)).put("seen", new java.util.Date(1_700_000_000_123L))
                .put("flag", true).put("ratio", 0.1);

        List<String> texts = text.toTexts(row);

        assertThat(texts).containsExactly("7", "", "12.50", "1970-01-04", "2023-11-14T22:13:20.123Z", "true", "0.1");
        assertThat(text.toStruct(texts)).isEqualTo(row);
    }

    @Test
    void keepsNullDistinctFromEmptyString() {
        Struct row = new Struct(ROW).put("id", 1L);

        List<String> texts = text.toTexts(row);

        assertThat(texts.get(1)).isNull();
        assertThat(text.toStruct(texts).get("name")).isNull();
    }

    @Test
    void alignsAnOlderLayoutByColumnName() {
        Struct row = text.toStruct(List.of("name", "id", "gone"), Arrays.asList("Ada", "3", "x"));

        assertThat(row.getInt64("id")).isEqualTo(3L);
        assertThat(row.getString("name")).isEqualTo("Ada");
        assertThat(row.get("balance")).isNull();
    }

    @Test
    void refusesNestedSchemas() {
        Schema nested = SchemaBuilder.struct().field("inner", SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).build()).build();

        assertThatThrownBy(() -> new FlatStructText(nested)).isInstanceOf(DataException.class).hasMessageContaining("inner");
    }

    @Test
    void writesTimestampsAndDatesExactlyAsJavaTime() {
        var random = new java.util.Random(42);
        long[] edges = {0L, -1L, 1L, 999L, 1000L, -1000L, -1001L, 86_399_999L, 86_400_000L, -86_400_000L,
                -62_167_219_200_000L, -62_167_219_200_001L, -62_167_219_199_999L,
                253_402_300_799_999L, 253_402_300_800_000L, 253_402_300_799_000L, Long.MAX_VALUE / 2, Long.MIN_VALUE / 2,
                951_782_400_000L /* 2000-02-29 */, 1_717_207_200_000L};
        var values = new java.util.ArrayList<Long>();
        for (long edge : edges) {
            values.add(edge);
        }
        for (int i = 0; i < 200_000; i++) {
            values.add(random.nextLong() % 400_000_000_000_000L);
            values.add(random.nextLong() % 4_000_000_000_000L / 1000 * 1000);
        }
        for (long millis : values) {
            assertThat(FlatStructText.instantText(millis)).as("%d", millis)
                    .isEqualTo(java.time.Instant.ofEpochMilli(millis).toString());
            assertThat(FlatStructText.dateText(millis)).as("%d", millis).isEqualTo(
                    java.time.LocalDate.ofInstant(new java.util.Date(millis).toInstant(), java.time.ZoneOffset.UTC).toString());
        }
    }
}
