package io.onramp.connect.sink.jdbc.mapping;

import java.util.Objects;

/** A table, optionally in a schema; names are exact (they are always quoted in SQL). */
public record TableId(String schema, String table) {

    public TableId {
        Objects.requireNonNull(table, "table");
    }

    @Override
    public String toString() {
        return schema == null ? table : schema + "." + table;
    }
}
