package io.onramp.connect.core.schema;

/**
 * Names and parameters Onramp puts on Connect schemas derived from contracts, so that every
 * plugin (and every consumer reading the schema) recognises the same logical types.
 */
public final class OnrampSchemas {

    /** Parameter on an enum-derived STRING schema: the allowed symbols, comma-separated, in contract order. */
    public static final String ENUM_SYMBOLS = "io.onramp.enum.symbols";

    /** Parameter on a Decimal schema: the contract's precision (same key as Confluent's AvroData). */
    public static final String DECIMAL_PRECISION = "connect.decimal.precision";

    /** Parameter on a BYTES schema derived from an Avro fixed: its size in bytes. */
    public static final String FIXED_SIZE = "io.onramp.fixed.size";

    /** INT64 schema name: microseconds after midnight (Avro time-micros). */
    public static final String MICRO_TIME = "io.onramp.time.MicroTime";

    /** INT64 schema name: microseconds since the epoch (Avro timestamp-micros, local-timestamp-micros). */
    public static final String MICRO_TIMESTAMP = "io.onramp.time.MicroTimestamp";

    /** INT64 schema name: nanoseconds since the epoch (Avro timestamp-nanos, local-timestamp-nanos). */
    public static final String NANO_TIMESTAMP = "io.onramp.time.NanoTimestamp";

    /** STRING schema name: a canonical textual UUID (Avro uuid). */
    public static final String UUID = "io.onramp.data.Uuid";

    private OnrampSchemas() {
    }
}
