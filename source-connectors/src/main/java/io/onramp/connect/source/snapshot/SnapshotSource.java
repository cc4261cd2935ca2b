package io.onramp.connect.source.snapshot;

import io.onramp.connect.core.OnrampVersion;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * The {@code source} block of a snapshot's change envelopes, with the fields Debezium's have (version, connector,
 * name, ts_ms, snapshot, table); each source adds where its snapshot came from (a dump file, a run).
 */
public final class SnapshotSource {

    private SnapshotSource() {
    }

    /** A schema named {@code name} with the common fields; the caller adds its own and builds it. */
    public static SchemaBuilder schema(String name) {
        return SchemaBuilder.struct().name(name)
                .field("version", Schema.STRING_SCHEMA)
                .field("connector", Schema.STRING_SCHEMA)
                .field("name", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA)
                .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
                .field("table", Schema.STRING_SCHEMA);
    }

    /**
     * The common fields filled in; the caller puts its own.
     *
     * @param first whether this is the first snapshot (every row a read): {@code snapshot} is "true"
     */
    public static Struct of(Schema schema, String connector, String connectorName, long tsMs, boolean first, String table) {
        return new Struct(schema)
                .put("version", OnrampVersion.get())
                .put("connector", connector)
                .put("name", connectorName)
                .put("ts_ms", tsMs)
                .put("snapshot", first ? "true" : "false")
                .put("table", table);
    }
}
