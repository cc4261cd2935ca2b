package io.onramp.connect.sink.jdbc.mapping;

/** Where the primary key of a row comes from ({@code primary.key.mode}). */
public enum KeyMode {
    NONE, KAFKA, RECORD_KEY, RECORD_VALUE
}
