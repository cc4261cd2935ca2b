package io.onramp.connect.sink.jdbc.mapping;

/**
 * The column types the sink writes, independent of any database: each dialect names its SQL type, and
 * {@link ValueConverter} produces the Java value bound for it.
 */
public enum SinkType {
    /** java.lang.Boolean */
    BOOLEAN,
    /** java.lang.Short (Connect INT8 and INT16) */
    INT16,
    /** java.lang.Integer */
    INT32,
    /** java.lang.Long */
    INT64,
    /** java.lang.Float */
    FLOAT32,
    /** java.lang.Double */
    FLOAT64,
    /** java.math.BigDecimal */
    DECIMAL,
    /** java.lang.String */
    STRING,
    /** byte[] */
    BYTES,
    /** java.time.LocalDate */
    DATE,
    /** java.time.LocalTime */
    TIME,
    /** java.time.LocalDateTime, in UTC */
    TIMESTAMP,
    /** java.lang.String holding a JSON document */
    JSON
}
