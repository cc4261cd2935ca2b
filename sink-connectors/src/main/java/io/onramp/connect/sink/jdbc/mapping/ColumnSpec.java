package io.onramp.connect.sink.jdbc.mapping;

/**
 * A column as the records describe it: name, type, and for DECIMAL its scale and precision (-1 when the
 * record does not fix them). {@code optional} is whether the record schema allows null.
 */
public record ColumnSpec(String name, SinkType type, int scale, int precision, boolean optional) {

    public static ColumnSpec of(String name, SinkType type, boolean optional) {
        return new ColumnSpec(name, type, -1, -1, optional);
    }

    public ColumnSpec asOptional() {
        return optional ? this : new ColumnSpec(name, type, scale, precision, true);
    }
}
