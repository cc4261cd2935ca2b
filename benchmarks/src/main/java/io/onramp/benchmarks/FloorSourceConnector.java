package io.onramp.benchmarks;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * The Connect floor of {@link JdbcSnapshotAnchorBenchmark} (benchmarks only): a source connector that reads no
 * database and emits, {@code batch.max.rows} per poll, the records Onramp's {@code bulk} copy of the bench table
 * emits (the same key and value schemas, the same values, the same source partition, no offset), built from the row
 * number alone. Whatever a copy through the same worker, converter and producer costs beyond this is the source's.
 *
 * <p>Not part of the plugin archive and not a product: it has no example under {@code config-examples/} (whose
 * test validates every example against the packaged plugin), and is listed in this module's
 * {@code META-INF/services} so that a worker with {@code plugin.discovery=service_load} finds it on the classpath.
 */
public final class FloorSourceConnector extends SourceConnector {

    static final String TOPIC = "topic";
    static final String ROWS = "rows";
    static final String BATCH = "batch.max.rows";
    static final String TABLE = "table";
    /** false: no key (null), to see what the key Struct costs the worker. */
    static final String KEY = "key";
    /**
     * {@code struct} (Onramp's records) or {@code json-bytes}: key and value already JSON text (the values of
     * JsonConverter without schemas, amount in plain notation) as BYTES, for ByteArrayConverter: what the worker,
     * producer and broker cost with no converter work at all.
     */
    static final String FORMAT = "format";

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FloorTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef()
                .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic to write to")
                .define(ROWS, ConfigDef.Type.LONG, ConfigDef.Importance.HIGH, "rows to emit, then nothing")
                .define(BATCH, ConfigDef.Type.INT, 5000, ConfigDef.Importance.LOW, "records per poll")
                .define(TABLE, ConfigDef.Type.STRING, "public.bench", ConfigDef.Importance.LOW, "the source partition's table")
                .define(KEY, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.LOW, "whether records carry the id as a key Struct")
                .define(FORMAT, ConfigDef.Type.STRING, "struct", ConfigDef.Importance.LOW, "struct or json-bytes");
    }

    @Override
    public String version() {
        return "floor";
    }

    /** Emits rows 1..N of the bench table: {@code id, 'customer ' || id, (id % 100000) / 100.0, 2024-01-01 + id s, id % 3 = 0}. */
    public static final class FloorTask extends SourceTask {

        /** The schemas Onramp's ColumnMapper gives the bench table's columns (NOT NULL but flag). */
        static final Schema VALUE = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("name", Schema.STRING_SCHEMA)
                .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").build())
                .field("created", Timestamp.SCHEMA)
                .field("flag", Schema.OPTIONAL_BOOLEAN_SCHEMA)
                .build();
        static final Schema KEY_SCHEMA = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
        /** 2024-01-01T00:00:00Z. */
        private static final long EPOCH_MS = 1_704_067_200_000L;

        private String topic;
        private long rows;
        private int batch;
        private Map<String, Object> partition;
        private boolean keyed;
        private boolean bytes;
        private long next = 1;

        @Override
        public void start(Map<String, String> props) {
            topic = props.get(TOPIC);
            rows = Long.parseLong(props.get(ROWS));
            batch = Integer.parseInt(props.getOrDefault(BATCH, "5000"));
            partition = Map.of("table", props.getOrDefault(TABLE, "public.bench"));
            keyed = Boolean.parseBoolean(props.getOrDefault(KEY, "true"));
            bytes = "json-bytes".equals(props.getOrDefault(FORMAT, "struct"));
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            if (next > rows) {
                Thread.sleep(100); // done: the worker polls again, there is nothing more
                return null;
            }
            List<SourceRecord> out = new ArrayList<>(batch);
            for (int i = 0; i < batch && next <= rows; i++, next++) {
                long id = next;
                if (bytes) {
                    out.add(jsonBytes(id));
                    continue;
                }
                Struct value = new Struct(VALUE)
                        .put("id", id)
                        .put("name", "customer " + id)
                        .put("amount", BigDecimal.valueOf(id % 100_000, 2))
                        .put("created", new Date(EPOCH_MS + id * 1000))
                        .put("flag", id % 3 == 0);
                Struct key = keyed ? new Struct(KEY_SCHEMA).put("id", id) : null;
                out.add(new SourceRecord(partition, null, topic, null, keyed ? KEY_SCHEMA : null, key, VALUE, value));
            }
            return out;
        }

        private SourceRecord jsonBytes(long id) {
            byte[] key = keyed ? ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8) : null;
            byte[] value = ("{\"id\":" + id + ",\"name\":\"customer " + id + "\",\"amount\":"
                    + BigDecimal.valueOf(id % 100_000, 2).toPlainString() + ",\"created\":" + (EPOCH_MS + id * 1000)
                    + ",\"flag\":" + (id % 3 == 0) + "}").getBytes(StandardCharsets.UTF_8);
            return new SourceRecord(partition, null, topic, null, keyed ? Schema.BYTES_SCHEMA : null, key, Schema.BYTES_SCHEMA, value);
        }

        @Override
        public void stop() {
        }

        @Override
        public String version() {
            return "floor";
        }
    }
}
