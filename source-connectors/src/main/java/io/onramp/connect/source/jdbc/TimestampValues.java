package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.ColumnDescriptor;
import io.onramp.connect.core.jdbc.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The raw value of the timestamp column(s) as the database compares them, read, kept in offsets as text and bound
 * again: {@code OffsetDateTime} for zoned columns, {@code LocalDateTime} for wall-clock ones, {@code LocalDate} for
 * dates. Exactly what was read is bound back, so the comparison never goes through a time-zone conversion.
 */
final class TimestampValues {

    enum Kind { ZONED, LOCAL, DATE }

    private final Kind kind;
    private final ZoneId localZone; // the zone LOCAL values of this column are in, for the visibility bound

    private TimestampValues(Kind kind, ZoneId localZone) {
        this.kind = kind;
        this.localZone = localZone;
    }

    /** How the column is compared; the zone of a wall-clock column is db.timezone, of MariaDB TIMESTAMP UTC. */
    static TimestampValues of(ColumnDescriptor column, Dialect dialect, ZoneId dbTimeZone) {
        return switch (column.jdbcType()) {
            case Types.TIMESTAMP_WITH_TIMEZONE -> new TimestampValues(Kind.ZONED, ZoneOffset.UTC);
            case Types.DATE -> new TimestampValues(Kind.DATE, dbTimeZone);
            default -> new TimestampValues(Kind.LOCAL, dialect.timestampColumnIsInstant(column) ? ZoneOffset.UTC : dbTimeZone);
        };
    }

    /** Whether the column type can be a timestamp column. */
    static boolean fits(ColumnDescriptor column) {
        return switch (column.jdbcType()) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.DATE -> true;
            default -> false;
        };
    }

    Object read(ResultSet rs, int index) throws SQLException {
        return switch (kind) {
            case ZONED -> rs.getObject(index, OffsetDateTime.class);
            case LOCAL -> rs.getObject(index, LocalDateTime.class);
            case DATE -> rs.getObject(index, LocalDate.class);
        };
    }

    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        ps.setObject(index, value);
    }

    /** The value standing for an instant (the visibility bound), in this column's terms. */
    Object fromInstant(Instant instant) {
        return switch (kind) {
            case ZONED -> instant.atOffset(ZoneOffset.UTC);
            case LOCAL -> LocalDateTime.ofInstant(instant, localZone);
            case DATE -> LocalDate.ofInstant(instant, localZone);
        };
    }

    String encode(Object value) {
        return value == null ? null : value.toString();
    }

    Object decode(String text) {
        if (text == null) {
            return null;
        }
        return switch (kind) {
            case ZONED -> OffsetDateTime.parse(text);
            case LOCAL -> LocalDateTime.parse(text);
            case DATE -> LocalDate.parse(text);
        };
    }
}
