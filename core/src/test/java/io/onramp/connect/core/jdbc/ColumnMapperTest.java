package io.onramp.connect.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Types;
import java.time.ZoneOffset;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

/** Schema decisions from driver metadata; values are checked per type on both databases in JdbcSourceTypesTest. */
class ColumnMapperTest {

    private final ColumnMapper exact = new ColumnMapper(new PostgresDialect(), NumericMapping.NONE, ZoneOffset.UTC);
    private final ColumnMapper bestFit = new ColumnMapper(new MariaDbDialect(), NumericMapping.BEST_FIT, ZoneOffset.UTC);

    private static ColumnDescriptor col(int type, String typeName, int precision, int scale, boolean nullable, boolean signed) {
        return new ColumnDescriptor("c", type, typeName, precision, scale, nullable, signed);
    }

    @Test
    void integersMapBySizeAndUnsignedGoesOneSizeUp() {
        assertThat(exact.map(col(Types.SMALLINT, "int2", 5, 0, false, true)).schema()).isEqualTo(Schema.INT16_SCHEMA);
        assertThat(exact.map(col(Types.INTEGER, "int4", 10, 0, true, true)).schema()).isEqualTo(Schema.OPTIONAL_INT32_SCHEMA);
        assertThat(exact.map(col(Types.BIGINT, "int8", 19, 0, false, true)).schema()).isEqualTo(Schema.INT64_SCHEMA);
        assertThat(bestFit.map(col(Types.TINYINT, "TINYINT UNSIGNED", 3, 0, false, false)).schema()).isEqualTo(Schema.INT16_SCHEMA);
        assertThat(bestFit.map(col(Types.INTEGER, "INTEGER UNSIGNED", 10, 0, false, false)).schema()).isEqualTo(Schema.INT64_SCHEMA);
        Schema bigUnsigned = bestFit.map(col(Types.BIGINT, "BIGINT UNSIGNED", 20, 0, false, false)).schema();
        assertThat(bigUnsigned.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(bigUnsigned.parameters()).containsEntry("scale", "0").containsEntry("connect.decimal.precision", "20");
    }

    @Test
    void decimalsKeepPrecisionAndScaleUnlessBestFitNarrowsThem() {
        Schema exactDecimal = exact.map(col(Types.NUMERIC, "numeric", 12, 3, true, true)).schema();
        assertThat(exactDecimal.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(exactDecimal.parameters()).containsEntry("scale", "3").containsEntry("connect.decimal.precision", "12");
        assertThat(exactDecimal.isOptional()).isTrue();
        assertThat(bestFit.map(col(Types.DECIMAL, "DECIMAL", 12, 3, false, true)).schema()).isEqualTo(Schema.FLOAT64_SCHEMA);
        assertThat(bestFit.map(col(Types.DECIMAL, "DECIMAL", 9, 0, false, true)).schema()).isEqualTo(Schema.INT32_SCHEMA);
        assertThat(bestFit.map(col(Types.DECIMAL, "DECIMAL", 18, 0, false, true)).schema()).isEqualTo(Schema.INT64_SCHEMA);
        assertThat(bestFit.map(col(Types.DECIMAL, "DECIMAL", 30, 2, false, true)).schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(exact.map(col(Types.NUMERIC, "numeric", 0, 0, false, true)).schema()).isEqualTo(Schema.STRING_SCHEMA);
    }

    @Test
    void timestampsAreConnectTimestampsAndOtherTypesStrings() {
        assertThat(exact.map(col(Types.TIMESTAMP, "timestamp", 29, 6, true, true)).schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(exact.map(col(Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz", 35, 6, true, true)).schema().name())
                .isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(exact.map(col(Types.OTHER, "uuid", 0, 0, true, true)).schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(exact.map(col(Types.OTHER, "jsonb", 0, 0, true, true)).schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(exact.map(col(Types.DOUBLE, "money", 0, 0, true, true)).schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(exact.map(col(Types.BINARY, "bytea", 0, 0, true, true)).schema()).isEqualTo(Schema.OPTIONAL_BYTES_SCHEMA);
        assertThat(exact.map(col(Types.BIT, "bool", 1, 0, true, true)).schema()).isEqualTo(Schema.OPTIONAL_BOOLEAN_SCHEMA);
    }

    @Test
    void postgresZonedTypesReportedWithoutZoneAreCorrected() {
        assertThat(ColumnDescriptor.jdbcType(Types.TIMESTAMP, "timestamptz")).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
        assertThat(ColumnDescriptor.jdbcType(Types.TIME, "timetz")).isEqualTo(Types.TIME_WITH_TIMEZONE);
        assertThat(ColumnDescriptor.jdbcType(Types.TIMESTAMP, "timestamp")).isEqualTo(Types.TIMESTAMP);
    }

    @Test
    void postgresArraysBecomeConnectArraysOfTheElementType() {
        Schema ints = exact.map(col(Types.ARRAY, "_int4", 0, 0, true, true)).schema();
        assertThat(ints.type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(ints.valueSchema()).isEqualTo(Schema.OPTIONAL_INT32_SCHEMA);
        assertThat(exact.map(col(Types.ARRAY, "_text", 0, 0, true, true)).schema().valueSchema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
    }
}
