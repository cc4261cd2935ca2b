package io.onramp.connect.sink.jdbc.mapping;

/** How a nested Struct field becomes columns ({@code nested.struct.mode}). */
public enum NestedMode {
    /** One JSON column holding the whole Struct. */
    JSON,
    /** One column per leaf field, named {@code parent<delimiter>child}. */
    FLATTEN
}
