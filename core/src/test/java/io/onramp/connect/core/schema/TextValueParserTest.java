package io.onramp.connect.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class TextValueParserTest {

    private final TextValueParser parser = new TextValueParser();

    private Object parse(String text, Schema schema) {
        return parser.parse(text, schema, "f");
    }

    private static Schema decimal(int precision, int scale) {
        return Decimal.builder(scale).parameter(OnrampSchemas.DECIMAL_PRECISION, Integer.toString(precision)).build();
    }

    @Test
    void parsesIntegersOfEachWidth() {
        assertThat(parse("-128", Schema.INT8_SCHEMA)).isEqualTo((byte) -128);
        assertThat(parse("32767", Schema.INT16_SCHEMA)).isEqualTo((short) 32767);
        assertThat(parse(" 42 ", Schema.INT32_SCHEMA)).isEqualTo(42);
        assertThat(parse("9223372036854775807", Schema.INT64_SCHEMA)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsIntegersOutOfRangeNamingFieldAndText() {
        assertThatThrownBy(() -> parser.parse("128", Schema.INT8_SCHEMA, "order.qty"))
                .isInstanceOf(DataException.class).hasMessageContaining("'order.qty'").hasMessageNotContaining("128");
        assertThatThrownBy(() -> parse("3000000000", Schema.INT32_SCHEMA)).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> parse("9223372036854775808", Schema.INT64_SCHEMA)).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> parse("1.5", Schema.INT64_SCHEMA)).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> parse("abc", Schema.INT32_SCHEMA)).hasMessageNotContaining("abc").hasMessageContaining("INT32").hasMessageContaining("rule type");
    }

    @Test
    void leavesTheBadTextOutOfMessagesBecauseItMayBePersonalData() {
        assertThatThrownBy(() -> parse("jane.doe@example.com", Schema.INT32_SCHEMA))
                .hasMessage("Field 'f' is not a valid INT32 (rule type)");
    }

    @Test
    void parsesFloatsAndRejectsOverflowAndJavaSuffixes() {
        assertThat(parse("1.5", Schema.FLOAT32_SCHEMA)).isEqualTo(1.5f);
        assertThat(parse("-2.5e3", Schema.FLOAT64_SCHEMA)).isEqualTo(-2500.0);
        assertThatThrownBy(() -> parse("1e40", Schema.FLOAT32_SCHEMA)).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> parse("1.5f", Schema.FLOAT64_SCHEMA)).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> parse("one", Schema.FLOAT64_SCHEMA)).isInstanceOf(DataException.class);
    }

    @Test
    void parsesBooleanSpellingsCaseInsensitively() {
        assertThat(parse("TRUE", Schema.BOOLEAN_SCHEMA)).isEqualTo(true);
        assertThat(parse("yes", Schema.BOOLEAN_SCHEMA)).isEqualTo(true);
        assertThat(parse("1", Schema.BOOLEAN_SCHEMA)).isEqualTo(true);
        assertThat(parse("False", Schema.BOOLEAN_SCHEMA)).isEqualTo(false);
        assertThat(parse("NO", Schema.BOOLEAN_SCHEMA)).isEqualTo(false);
        assertThat(parse("0", Schema.BOOLEAN_SCHEMA)).isEqualTo(false);
        assertThatThrownBy(() -> parse("maybe", Schema.BOOLEAN_SCHEMA)).isInstanceOf(DataException.class);
    }

    @Test
    void keepsStringsVerbatimAndDecodesBase64Bytes() {
        assertThat(parse("  padded ", Schema.STRING_SCHEMA)).isEqualTo("  padded ");
        assertThat(parse("aGk=", Schema.BYTES_SCHEMA)).isEqualTo(new byte[] {'h', 'i'});
        assertThatThrownBy(() -> parse("not base64!", Schema.BYTES_SCHEMA)).isInstanceOf(DataException.class);
        Schema fixed = SchemaBuilder.bytes().parameter(OnrampSchemas.FIXED_SIZE, "3").build();
        assertThatThrownBy(() -> parse("aGk=", fixed)).isInstanceOf(DataException.class);
    }

    @Test
    void parsesDecimalWithoutLosingScale() {
        Schema schema = decimal(10, 2);
        assertThat(parse("12.3", schema)).isEqualTo(new BigDecimal("12.30"));
        assertThat(parse("12.300", schema)).isEqualTo(new BigDecimal("12.30"));
        assertThat(parse("-7", schema)).isEqualTo(new BigDecimal("-7.00"));
        assertThatThrownBy(() -> parse("12.345", schema))
                .isInstanceOf(DataException.class).hasMessageNotContaining("12.345").hasMessageContaining("2 decimal places");
    }

    @Test
    void rejectsDecimalBeyondDeclaredPrecision() {
        assertThat(parse("999.99", decimal(5, 2))).isEqualTo(new BigDecimal("999.99"));
        assertThatThrownBy(() -> parse("1000", decimal(5, 2))).isInstanceOf(DataException.class).hasMessageContaining("precision 5");
    }

    @Test
    void parsesDateAsUtcMidnight() {
        assertThat(parse("1970-01-02", Date.SCHEMA)).isEqualTo(new java.util.Date(86_400_000L));
        assertThat(parse("2024-02-29", Date.SCHEMA)).isEqualTo(java.util.Date.from(Instant.parse("2024-02-29T00:00:00Z")));
        assertThatThrownBy(() -> parse("2023-02-29", Date.SCHEMA)).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> parse("02/01/2024", Date.SCHEMA)).isInstanceOf(DataException.class);
    }

    @Test
    void parsesTimeWithOptionalSecondsAndMillis() {
        assertThat(parse("00:01", Time.SCHEMA)).isEqualTo(new java.util.Date(60_000L));
        assertThat(parse("00:00:01.5", Time.SCHEMA)).isEqualTo(new java.util.Date(1_500L));
        assertThatThrownBy(() -> parse("00:00:00.0001", Time.SCHEMA))
                .as("sub-millisecond digits would be lost").isInstanceOf(DataException.class);
        assertThatThrownBy(() -> parse("25:00", Time.SCHEMA)).isInstanceOf(DataException.class);
    }

    /** The hand-written parser of the common shapes must agree with java.time on every one, and leave the rest to it. */
    @Test
    void parsesCommonTimestampShapesExactlyAsJavaTime() {
        String[] offsets = {"Z", "+02:00", "-09:30", "+14:00", "-00:00", ""};
        String[] fractions = {"", ".5", ".123", ".000001", ".987654321"};
        String[] dateTimes = {"2024-02-29T23:59:59", "1969-12-31T00:00:01", "0001-01-01T00:00:00", "9999-12-31T23:59:59",
            "2023-06-15 08:07:06"};
        for (String dateTime : dateTimes) {
            for (String fraction : fractions) {
                for (String offset : offsets) {
                    String text = dateTime + fraction + offset;
                    String iso = text.replace(' ', 'T');
                    Instant expected = offset.isEmpty()
                            ? java.time.LocalDateTime.parse(iso).toInstant(java.time.ZoneOffset.UTC)
                            : java.time.OffsetDateTime.parse(iso).toInstant();
                    if (expected.getNano() % 1_000_000 != 0) {
                        assertThatThrownBy(() -> parse(text, Timestamp.SCHEMA)).as(text).isInstanceOf(DataException.class);
                    } else {
                        assertThat(parse(text, Timestamp.SCHEMA)).as(text).isEqualTo(java.util.Date.from(expected));
                    }
                }
            }
        }
        for (String bad : new String[] {"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "2024-01-01T00:00:00+19:00",
            "2024-01-01T00:00:00.1234567891Z", "2024-01-01X00:00:00Z", "2024-01-01T00:00:00+0200x"}) {
            assertThatThrownBy(() -> parse(bad, Timestamp.SCHEMA)).as(bad).isInstanceOf(DataException.class);
        }
        // Valid ISO the fast path leaves to java.time.
        assertThat(parse("2024-01-01T10:15Z", Timestamp.SCHEMA)).isEqualTo(java.util.Date.from(Instant.parse("2024-01-01T10:15:00Z")));
        assertThat(parse("2024-01-01T10:15:00+02", Timestamp.SCHEMA))
                .isEqualTo(java.util.Date.from(Instant.parse("2024-01-01T08:15:00Z")));
    }

    @Test
    void parsesTimestampWithOffsetOrAsUtc() {
        var expected = java.util.Date.from(Instant.parse("2024-05-01T10:15:30.123Z"));
        assertThat(parse("2024-05-01T10:15:30.123Z", Timestamp.SCHEMA)).isEqualTo(expected);
        assertThat(parse("2024-05-01T12:15:30.123+02:00", Timestamp.SCHEMA)).isEqualTo(expected);
        assertThat(parse("2024-05-01T10:15:30.123", Timestamp.SCHEMA)).isEqualTo(expected);
        assertThat(parse("2024-05-01 10:15:30.123", Timestamp.SCHEMA)).isEqualTo(expected);
        assertThatThrownBy(() -> parse("2024-05-01T10:15:30.1234Z", Timestamp.SCHEMA)).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> parse("yesterday", Timestamp.SCHEMA)).isInstanceOf(DataException.class);
    }

    @Test
    void parsesMicroTimeAndMicroTimestampAsLongsOrIso() {
        Schema microTime = SchemaBuilder.int64().name(OnrampSchemas.MICRO_TIME).build();
        Schema microTs = SchemaBuilder.int64().name(OnrampSchemas.MICRO_TIMESTAMP).build();
        assertThat(parse("1000001", microTime)).isEqualTo(1_000_001L);
        assertThat(parse("00:00:01.000001", microTime)).isEqualTo(1_000_001L);
        assertThatThrownBy(() -> parse("86400000000", microTime)).isInstanceOf(DataException.class);
        assertThat(parse("1714558530123456", microTs)).isEqualTo(1_714_558_530_123_456L);
        assertThat(parse("2024-05-01T10:15:30.123456Z", microTs)).isEqualTo(1_714_558_530_123_456L);
        assertThatThrownBy(() -> parse("2024-05-01T10:15:30.1234567Z", microTs)).isInstanceOf(DataException.class);
    }

    @Test
    void checksEnumSymbolsAndUuids() {
        Schema status = SchemaBuilder.string().name("shop.Status").parameter(OnrampSchemas.ENUM_SYMBOLS, "NEW,PAID,PAID_LATE").build();
        assertThat(parse("PAID", status)).isEqualTo("PAID");
        assertThat(parse("PAID_LATE", status)).isEqualTo("PAID_LATE");
        assertThatThrownBy(() -> parse("PAI", status)).isInstanceOf(DataException.class).hasMessageContaining("NEW,PAID,PAID_LATE");
        assertThatThrownBy(() -> parse("NEW,PAID", status)).isInstanceOf(DataException.class);

        Schema uuid = SchemaBuilder.string().name(OnrampSchemas.UUID).build();
        assertThat(parse("123e4567-e89b-12d3-a456-426614174000", uuid)).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
        assertThatThrownBy(() -> parse("123e4567-e89b-12d3-a456-42661417400g", uuid)).isInstanceOf(DataException.class);
    }

    @Test
    void treatsEmptyAsNullForOptionalFields() {
        assertThat(parse("", SchemaBuilder.int32().optional().build())).isNull();
        assertThat(parse("   ", SchemaBuilder.int32().optional().build())).isNull();
        assertThat(parse(null, Schema.OPTIONAL_STRING_SCHEMA)).isNull();
        assertThat(parse("", Schema.OPTIONAL_STRING_SCHEMA)).isNull();
        assertThat(parse("", Timestamp.builder().optional().build())).isNull();
    }

    @Test
    void keepsEmptyStringForRequiredStringAndUsesDefaults() {
        assertThat(parse("", Schema.STRING_SCHEMA)).isEqualTo("");
        assertThat(parse("", SchemaBuilder.int32().defaultValue(5).build())).isEqualTo(5);
    }

    @Test
    void rejectsEmptyRequiredNonStringField() {
        assertThatThrownBy(() -> parser.parse(" ", Schema.INT64_SCHEMA, "row.id"))
                .isInstanceOf(DataException.class).hasMessage("Field 'row.id' is required but empty");
    }

    @Test
    void rejectsTextForStructuredTypes() {
        assertThatThrownBy(() -> parse("x", SchemaBuilder.array(Schema.INT32_SCHEMA).build()))
                .isInstanceOf(DataException.class).hasMessageContaining("ARRAY");
    }
}
