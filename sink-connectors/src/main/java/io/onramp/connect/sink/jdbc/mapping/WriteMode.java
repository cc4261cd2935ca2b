package io.onramp.connect.sink.jdbc.mapping;

/** How a row is written ({@code insert.mode}). */
public enum WriteMode {
    INSERT, UPSERT, UPDATE
}
