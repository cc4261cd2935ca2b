package io.onramp.connect.core.jdbc;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The one mapping of SQL column types to Connect schemas and values (README, "JDBC types"; the JDBC sink maps back
 * with the same table):
 *
 * <table>
 * <caption>SQL → Connect</caption>
 * <tr><th>SQL</th><th>Connect</th></tr>
 * <tr><td>BOOLEAN, BIT(1)</td><td>BOOLEAN</td></tr>
 * <tr><td>TINYINT / SMALLINT / INTEGER / BIGINT</td><td>INT8 / INT16 / INT32 / INT64; UNSIGNED one size up,
 *     BIGINT UNSIGNED → Decimal(scale 0)</td></tr>
 * <tr><td>NUMERIC/DECIMAL(p,s)</td><td>Decimal(s) with precision p; {@link NumericMapping} may narrow;
 *     PostgreSQL's unconstrained numeric → STRING (plain notation), FLOAT64 under best_fit</td></tr>
 * <tr><td>REAL / FLOAT, DOUBLE</td><td>FLOAT32 / FLOAT64</td></tr>
 * <tr><td>CHAR, VARCHAR, TEXT, CLOB, JSON, JSONB, UUID, XML, INTERVAL, MONEY, other</td><td>STRING</td></tr>
 * <tr><td>DATE / TIME</td><td>Date / Time (wall clock, no zone)</td></tr>
 * <tr><td>TIMESTAMP, DATETIME (no zone)</td><td>Timestamp: the wall-clock time read in {@code db.timezone}</td></tr>
 * <tr><td>TIMESTAMPTZ, MariaDB TIMESTAMP</td><td>Timestamp: the stored instant</td></tr>
 * <tr><td>BYTEA, BINARY, VARBINARY, BLOB</td><td>BYTES</td></tr>
 * <tr><td>PostgreSQL one-dimensional arrays</td><td>ARRAY of the element's type (integers, floats, boolean;
 *     others as STRING)</td></tr>
 * </table>
 *
 * Every nullable column gets an optional schema and reads SQL NULL as null. Connect's Timestamp and Time hold
 * milliseconds: finer fractions are truncated.
 */
public final class ColumnMapper {

    private static final int MAX_INTEGER_PRECISION = 18;
    private static final int MAX_NUMERIC_PRECISION = 1000;

    private final Dialect dialect;
    private final NumericMapping numericMapping;
    private final ZoneId dbTimeZone;

    /** @param dbTimeZone the zone wall-clock TIMESTAMP/DATETIME values are read in ({@code db.timezone}) */
    public ColumnMapper(Dialect dialect, NumericMapping numericMapping, ZoneId dbTimeZone) {
        this.dialect = dialect;
        this.numericMapping = numericMapping;
        this.dbTimeZone = dbTimeZone;
    }

    /** One mapping per column, in order. */
    public List<ColumnMapping> map(List<ColumnDescriptor> columns) {
        List<ColumnMapping> out = new ArrayList<>(columns.size());
        for (ColumnDescriptor column : columns) {
            out.add(map(column));
        }
        return out;
    }

    /** The mapping of one column. */
    public ColumnMapping map(ColumnDescriptor c) {
        String typeName = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
        return switch (c.jdbcType()) {
            case Types.BOOLEAN -> mapping(c, SchemaBuilder.bool(), ColumnMapper::readBoolean);
            case Types.BIT -> c.precision() > 1
                    ? (dialect instanceof MariaDbDialect
                            ? mapping(c, SchemaBuilder.bytes(), ResultSet::getBytes)
                            : mapping(c, SchemaBuilder.string(), ResultSet::getString))
                    : mapping(c, SchemaBuilder.bool(), ColumnMapper::readBoolean);
            case Types.TINYINT -> c.signed()
                    ? mapping(c, SchemaBuilder.int8(), (rs, i) -> nullIfWasNull(rs, rs.getByte(i)))
                    : mapping(c, SchemaBuilder.int16(), (rs, i) -> nullIfWasNull(rs, rs.getShort(i)));
            case Types.SMALLINT -> c.signed()
                    ? mapping(c, SchemaBuilder.int16(), (rs, i) -> nullIfWasNull(rs, rs.getShort(i)))
                    : mapping(c, SchemaBuilder.int32(), ColumnMapper::readInt);
            case Types.INTEGER -> c.signed()
                    ? mapping(c, SchemaBuilder.int32(), ColumnMapper::readInt)
                    : mapping(c, SchemaBuilder.int64(), ColumnMapper::readLong);
            case Types.BIGINT -> c.signed()
                    ? mapping(c, SchemaBuilder.int64(), ColumnMapper::readLong)
                    : decimal(c, 20, 0);
            case Types.REAL -> mapping(c, SchemaBuilder.float32(), (rs, i) -> nullIfWasNull(rs, rs.getFloat(i)));
            case Types.FLOAT, Types.DOUBLE -> typeName.equals("money")
                    ? mapping(c, SchemaBuilder.string(), ResultSet::getString)
                    : mapping(c, SchemaBuilder.float64(), ColumnMapper::readDouble);
            case Types.NUMERIC, Types.DECIMAL -> numeric(c);
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB, Types.SQLXML -> mapping(c, SchemaBuilder.string(), ResultSet::getString);
            case Types.DATE -> mapping(c, org.apache.kafka.connect.data.Date.builder(), ColumnMapper::readDate);
            case Types.TIME -> mapping(c, Time.builder(), ColumnMapper::readTime);
            case Types.TIME_WITH_TIMEZONE -> mapping(c, Time.builder(), ColumnMapper::readOffsetTime);
            case Types.TIMESTAMP -> dialect.timestampColumnIsInstant(c)
                    ? mapping(c, Timestamp.builder(), (rs, i) -> readLocalTimestamp(rs, i, ZoneOffset.UTC))
                    : mapping(c, Timestamp.builder(), (rs, i) -> readLocalTimestamp(rs, i, dbTimeZone));
            case Types.TIMESTAMP_WITH_TIMEZONE -> mapping(c, Timestamp.builder(), ColumnMapper::readOffsetTimestamp);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
                    mapping(c, SchemaBuilder.bytes(), ResultSet::getBytes);
            case Types.ARRAY -> array(c, typeName);
            default -> mapping(c, SchemaBuilder.string(), ResultSet::getString);
        };
    }

    private ColumnMapping numeric(ColumnDescriptor c) {
        int precision = c.precision();
        int scale = c.scale();
        boolean unconstrained = precision <= 0 || precision > MAX_NUMERIC_PRECISION;
        if (unconstrained) {
            return numericMapping == NumericMapping.BEST_FIT
                    ? mapping(c, SchemaBuilder.float64(), ColumnMapper::readDouble)
                    : mapping(c, SchemaBuilder.string(), (rs, i) -> {
                        BigDecimal value = rs.getBigDecimal(i);
                        return value == null ? null : value.toPlainString();
                    });
        }
        if (numericMapping != NumericMapping.NONE && precision <= MAX_INTEGER_PRECISION) {
            if (scale <= 0 && scale > -84) {
                if (precision > 9) {
                    return mapping(c, SchemaBuilder.int64(), ColumnMapper::readLong);
                } else if (precision > 4) {
                    return mapping(c, SchemaBuilder.int32(), ColumnMapper::readInt);
                } else if (precision > 2) {
                    return mapping(c, SchemaBuilder.int16(), (rs, i) -> nullIfWasNull(rs, rs.getShort(i)));
                }
                return mapping(c, SchemaBuilder.int8(), (rs, i) -> nullIfWasNull(rs, rs.getByte(i)));
            }
            if (numericMapping == NumericMapping.BEST_FIT) {
                return mapping(c, SchemaBuilder.float64(), ColumnMapper::readDouble);
            }
        }
        return decimal(c, precision, scale);
    }

    private ColumnMapping decimal(ColumnDescriptor c, int precision, int scale) {
        SchemaBuilder builder = Decimal.builder(scale).parameter("connect.decimal.precision", Integer.toString(precision));
        return mapping(c, builder, (rs, i) -> {
            BigDecimal value = rs.getBigDecimal(i);
            return value == null ? null : value.setScale(scale, java.math.RoundingMode.UNNECESSARY);
        });
    }

    private ColumnMapping array(ColumnDescriptor c, String typeName) {
        String element = typeName.startsWith("_") ? typeName.substring(1) : typeName;
        Schema elementSchema;
        java.util.function.Function<Object, Object> convert;
        switch (element) {
            case "int2" -> {
                elementSchema = Schema.OPTIONAL_INT16_SCHEMA;
                convert = v -> ((Number) v).shortValue();
            }
            case "int4" -> {
                elementSchema = Schema.OPTIONAL_INT32_SCHEMA;
                convert = v -> ((Number) v).intValue();
            }
            case "int8" -> {
                elementSchema = Schema.OPTIONAL_INT64_SCHEMA;
                convert = v -> ((Number) v).longValue();
            }
            case "float4" -> {
                elementSchema = Schema.OPTIONAL_FLOAT32_SCHEMA;
                convert = v -> ((Number) v).floatValue();
            }
            case "float8" -> {
                elementSchema = Schema.OPTIONAL_FLOAT64_SCHEMA;
                convert = v -> ((Number) v).doubleValue();
            }
            case "bool" -> {
                elementSchema = Schema.OPTIONAL_BOOLEAN_SCHEMA;
                convert = v -> v;
            }
            default -> {
                elementSchema = Schema.OPTIONAL_STRING_SCHEMA;
                convert = v -> v instanceof BigDecimal d ? d.toPlainString() : v.toString();
            }
        }
        var toElement = convert;
        return mapping(c, SchemaBuilder.array(elementSchema), (rs, i) -> {
            Array array = rs.getArray(i);
            if (array == null) {
                return null;
            }
            try {
                Object[] values = (Object[]) array.getArray();
                List<Object> out = new ArrayList<>(values.length);
                for (Object v : values) {
                    out.add(v == null ? null : toElement.apply(v instanceof Object[] nested ? java.util.Arrays.deepToString(nested) : v));
                }
                return out;
            } finally {
                array.free();
            }
        });
    }

    private static ColumnMapping mapping(ColumnDescriptor c, SchemaBuilder builder, ColumnMapping.ValueReader reader) {
        if (c.nullable()) {
            builder.optional();
        }
        return new ColumnMapping(c, builder.build(), reader);
    }

    private static Object nullIfWasNull(ResultSet rs, Object value) throws SQLException {
        return rs.wasNull() ? null : value;
    }

    private static Object readBoolean(ResultSet rs, int i) throws SQLException {
        return nullIfWasNull(rs, rs.getBoolean(i));
    }

    private static Object readInt(ResultSet rs, int i) throws SQLException {
        return nullIfWasNull(rs, rs.getInt(i));
    }

    private static Object readLong(ResultSet rs, int i) throws SQLException {
        return nullIfWasNull(rs, rs.getLong(i));
    }

    private static Object readDouble(ResultSet rs, int i) throws SQLException {
        return nullIfWasNull(rs, rs.getDouble(i));
    }

    private static Object readDate(ResultSet rs, int i) throws SQLException {
        LocalDate date = rs.getObject(i, LocalDate.class);
        return date == null ? null : Date.from(date.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static Object readTime(ResultSet rs, int i) throws SQLException {
        LocalTime time = rs.getObject(i, LocalTime.class);
        return time == null ? null : new Date(time.toNanoOfDay() / 1_000_000L);
    }

    private static Object readOffsetTime(ResultSet rs, int i) throws SQLException {
        OffsetTime time = rs.getObject(i, OffsetTime.class);
        return time == null ? null : new Date(time.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime().toNanoOfDay() / 1_000_000L);
    }

    private static Object readLocalTimestamp(ResultSet rs, int i, ZoneId zone) throws SQLException {
        LocalDateTime value = rs.getObject(i, LocalDateTime.class);
        return value == null ? null : Date.from(value.atZone(zone).toInstant());
    }

    private static Object readOffsetTimestamp(ResultSet rs, int i) throws SQLException {
        OffsetDateTime value = rs.getObject(i, OffsetDateTime.class);
        return value == null ? null : Date.from(value.toInstant());
    }
}
