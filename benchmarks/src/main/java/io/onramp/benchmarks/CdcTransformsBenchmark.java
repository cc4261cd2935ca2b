package io.onramp.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.debezium.transforms.ExtractNewRecordState;
import io.debezium.transforms.outbox.EventRouter;
import io.onramp.connect.transforms.cdc.ChangeEventUnwrap;
import io.onramp.connect.transforms.outbox.OutboxRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Onramp's CDC adapters against Debezium's own transforms, in the same JVM, on the same records:
 * <ul>
 *   <li>{@code OutboxRouter} vs Debezium's {@code EventRouter}, JSON payload expansion on in both: Debezium-shaped
 *       change events (op 'c') of an outbox table whose payload is a JSON object of the 20 fields of
 *       {@link TransformChainBenchmark#connectSchema()}.</li>
 *   <li>{@code ChangeEventUnwrap} vs {@code ExtractNewRecordState}: Debezium-shaped update events whose rows are
 *       those 20-field structs, with default settings, and with {@code add.fields=op,table} plus
 *       {@code add.headers=op}.</li>
 * </ul>
 * Each operation transforms one record (records/s). Both sides get a fresh copy of the input record with empty
 * headers each time, because Debezium's transforms add headers to their input record in place.
 *
 * <p>Run: {@code java -cp <classpath> org.openjdk.jmh.Main CdcTransformsBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class CdcTransformsBenchmark {

    private static final int RECORDS = 1024;

    private List<SourceRecord> outboxEvents;
    private List<SourceRecord> rowChanges;
    private int next;

    private OutboxRouter<SourceRecord> onrampRouter;
    private EventRouter<SourceRecord> debeziumRouter;
    private ChangeEventUnwrap<SourceRecord> onrampUnwrap;
    private ExtractNewRecordState<SourceRecord> debeziumUnwrap;
    private ChangeEventUnwrap<SourceRecord> onrampUnwrapFields;
    private ExtractNewRecordState<SourceRecord> debeziumUnwrapFields;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Schema source = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
                .field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA)
                .field("name", Schema.STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA)
                .field("db", Schema.STRING_SCHEMA).field("schema", Schema.STRING_SCHEMA)
                .field("table", Schema.STRING_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA).build();
        Struct sourceValue = new Struct(source).put("version", "3.6.1.Final").put("connector", "postgresql")
                .put("name", "bench").put("ts_ms", 1_700_000_000_000L).put("db", "test").put("schema", "public")
                .put("table", "orders").put("lsn", 123_456L);

        // Outbox: the after row of Debezium's PostgreSQL connector (jsonb payload as io.debezium.data.Json text).
        Schema outboxRow = SchemaBuilder.struct().name("bench.public.outbox.Value").optional()
                .field("id", Schema.STRING_SCHEMA).field("aggregatetype", Schema.STRING_SCHEMA)
                .field("aggregateid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA)
                .field("payload", SchemaBuilder.string().name("io.debezium.data.Json").optional().build()).build();
        Schema outboxEnvelope = envelope("bench.public.outbox.Envelope", outboxRow, source);
        Schema orderSchema = TransformChainBenchmark.connectSchema();
        var json = new ObjectMapper();
        outboxEvents = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            Struct order = TransformChainBenchmark.struct(orderSchema, i);
            ObjectNode payload = json.createObjectNode();
            for (Field f : orderSchema.fields()) {
                payload.putPOJO(f.name(), order.get(f));
            }
            Struct after = new Struct(outboxRow).put("id", "evt-" + i).put("aggregatetype", i % 2 == 0 ? "order" : "customer")
                    .put("aggregateid", "agg-" + (i % 97)).put("type", "OrderPlaced").put("payload", json.writeValueAsString(payload));
            Struct value = new Struct(outboxEnvelope).put("after", after).put("source", sourceValue).put("op", "c")
                    .put("ts_ms", 1_700_000_000_000L + i);
            outboxEvents.add(new SourceRecord(Map.of("server", "bench"), Map.of("lsn", (long) i), "bench.public.outbox", null,
                    Schema.STRING_SCHEMA, "evt-" + i, outboxEnvelope, value, 1_700_000_000_000L + i));
        }

        // Row changes: updates of the 20-field order rows.
        Schema rowSchema = optional(orderSchema);
        Schema rowEnvelope = envelope("bench.public.orders.Envelope", rowSchema, source);
        rowChanges = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            Struct before = copy(TransformChainBenchmark.struct(orderSchema, i), rowSchema);
            Struct after = copy(TransformChainBenchmark.struct(orderSchema, i + 1), rowSchema);
            Struct value = new Struct(rowEnvelope).put("before", before).put("after", after).put("source", sourceValue)
                    .put("op", "u").put("ts_ms", 1_700_000_000_000L + i);
            rowChanges.add(new SourceRecord(Map.of("server", "bench"), Map.of("lsn", (long) i), "bench.public.orders", null,
                    Schema.INT64_SCHEMA, (long) i, rowEnvelope, value, 1_700_000_000_000L + i));
        }

        Map<String, String> routerConfig = Map.of("table.expand.json.payload", "true");
        onrampRouter = new OutboxRouter<>();
        onrampRouter.configure(routerConfig);
        debeziumRouter = new EventRouter<>();
        debeziumRouter.configure(routerConfig);

        onrampUnwrap = new ChangeEventUnwrap<>();
        onrampUnwrap.configure(Map.of());
        debeziumUnwrap = new ExtractNewRecordState<>();
        debeziumUnwrap.configure(Map.of());
        Map<String, String> fields = Map.of("add.fields", "op,table", "add.headers", "op");
        onrampUnwrapFields = new ChangeEventUnwrap<>();
        onrampUnwrapFields.configure(fields);
        debeziumUnwrapFields = new ExtractNewRecordState<>();
        debeziumUnwrapFields.configure(fields);

        check();
    }

    /** Both sides must do the same work: same topics, keys and payload values. */
    private void check() {
        SourceRecord in = outboxEvents.get(1);
        SourceRecord ours = onrampRouter.apply(fresh(in));
        SourceRecord theirs = debeziumRouter.apply(fresh(in));
        if (!ours.topic().equals(theirs.topic()) || !ours.key().equals(theirs.key())
                || ((Struct) ours.value()).schema().fields().size() != 20 || !(theirs.value() instanceof Struct)) {
            throw new IllegalStateException("the routers disagree: " + ours + " / " + theirs);
        }
        SourceRecord plain = onrampUnwrap.apply(fresh(rowChanges.get(1)));
        SourceRecord plainTheirs = debeziumUnwrap.apply(fresh(rowChanges.get(1)));
        // Same fields and values; Debezium's copy drops the row schema's optional flag, Onramp passes `after` itself.
        if (!plain.value().toString().equals(plainTheirs.value().toString()) || plain.valueSchema().fields().size() != 20
                || plainTheirs.valueSchema().fields().size() != 20) {
            throw new IllegalStateException("the default unwraps disagree: " + plain.value() + " / " + plainTheirs.value());
        }
        SourceRecord unwrapped = onrampUnwrapFields.apply(fresh(rowChanges.get(1)));
        SourceRecord extracted = debeziumUnwrapFields.apply(fresh(rowChanges.get(1)));
        // Same fields and values (the schemas differ only in the struct's optional flag, which Onramp keeps).
        if (!unwrapped.value().toString().equals(extracted.value().toString())) {
            throw new IllegalStateException("the unwraps disagree: " + unwrapped.value() + " / " + extracted.value());
        }
    }

    private static Schema envelope(String name, Schema row, Schema source) {
        return SchemaBuilder.struct().name(name).field("before", row).field("after", row).field("source", source)
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    }

    private static Schema optional(Schema schema) {
        SchemaBuilder b = SchemaBuilder.struct().name(schema.name()).optional();
        schema.fields().forEach(f -> b.field(f.name(), f.schema()));
        return b.build();
    }

    private static Struct copy(Struct row, Schema target) {
        Struct out = new Struct(target);
        row.schema().fields().forEach(f -> out.put(f.name(), row.get(f)));
        return out;
    }

    private static SourceRecord fresh(SourceRecord r) {
        return r.newRecord(r.topic(), r.kafkaPartition(), r.keySchema(), r.key(), r.valueSchema(), r.value(), r.timestamp(),
                new ConnectHeaders());
    }

    private SourceRecord nextOutbox() {
        SourceRecord r = outboxEvents.get(next);
        next = (next + 1) & (RECORDS - 1);
        return fresh(r);
    }

    private SourceRecord nextChange() {
        SourceRecord r = rowChanges.get(next);
        next = (next + 1) & (RECORDS - 1);
        return fresh(r);
    }

    private static SourceRecord apply(Transformation<SourceRecord> t, SourceRecord r) {
        return t.apply(r);
    }

    @Benchmark
    public SourceRecord outboxOnramp() {
        return apply(onrampRouter, nextOutbox());
    }

    @Benchmark
    public SourceRecord outboxDebezium() {
        return apply(debeziumRouter, nextOutbox());
    }

    @Benchmark
    public SourceRecord unwrapOnramp() {
        return apply(onrampUnwrap, nextChange());
    }

    @Benchmark
    public SourceRecord unwrapDebezium() {
        return apply(debeziumUnwrap, nextChange());
    }

    @Benchmark
    public SourceRecord unwrapFieldsOnramp() {
        return apply(onrampUnwrapFields, nextChange());
    }

    @Benchmark
    public SourceRecord unwrapFieldsDebezium() {
        return apply(debeziumUnwrapFields, nextChange());
    }
}
