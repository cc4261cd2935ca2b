package io.onramp.benchmarks;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.onramp.connect.sink.snapshot.SnapshotExportSinkTask;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The snapshot export sink's task, driven as a worker would (put in batches, preCommit, the clock passing the
 * export time), beside its ceiling in the same run: the same records written straight to a CSV file with FastCSV,
 * no state kept at all, which is the least any export of those rows must do.
 *
 * <p>Stages: <b>first</b> — N distinct keys arrive (shuffled) and the first snapshot is written; <b>nightly</b> —
 * 1% of the keys change (0.6% updates, 0.2% deletes, 0.2% inserts) and the full snapshot is written again,
 * the steady state. Records are generated on the fly in both the task and the ceiling, identically.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -Xmx256m -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
 *     io.onramp.benchmarks.SnapshotExportBenchmark [keys=10000000] [workDir=$TMPDIR/onramp-export-bench] [sortBudgetMb=32]
 * </pre>
 */
public final class SnapshotExportBenchmark {

    private static final String TOPIC = "crm.customers.v1";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Schema ROW = SchemaBuilder.struct().name("Customer")
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA).field("city", Schema.STRING_SCHEMA)
            .field("amount", Decimal.schema(2)).field("status", Schema.STRING_SCHEMA)
            .field("updated_at", Timestamp.SCHEMA).build();
    private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    private static final String[] CITIES = {"Berlin", "Lisboa", "São Paulo", "Zürich", "Kraków", "Osaka", "Lyon"};
    private static final int BATCH = 10_000;

    private SnapshotExportBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long keys = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        Path dir = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"), "onramp-export-bench");
        long budgetMb = args.length > 2 ? Long.parseLong(args[2]) : 32;
        deleteTree(dir);
        Files.createDirectories(dir);
        var sampler = SnapshotDiffBenchmark.HeapSampler.start();
        System.out.printf("keys %,d, sort budget %d MB, max heap %d MB%n", keys, budgetMb,
                Runtime.getRuntime().maxMemory() >> 20);

        // Ceiling: the first stage's records straight to CSV, no state.
        sampler.reset();
        long t = System.nanoTime();
        long cpu = cpu();
        long ceilingBytes = ceiling(dir.resolve("ceiling.csv"), firstStage(keys));
        double ceiling = seconds(t);
        double ceilingCpu = (cpu() - cpu) / 1e9;
        System.out.printf("ceiling (records -> FastCSV file, no state): %.2f s (cpu %.2f s), %.1f MB, peak heap %d MB%n",
                ceiling, ceilingCpu, ceilingBytes / 1e6, sampler.peak() >> 20);

        var clock = new ManualClock(Instant.parse("2024-03-01T00:00:01Z"));
        var task = new SnapshotExportSinkTask(clock);
        task.initialize(new Context());
        Path out = Files.createDirectories(dir.resolve("out"));
        var props = new HashMap<String, String>();
        props.put("name", "export-bench");
        props.put("topics", TOPIC);
        props.put("export.path", out.toString());
        props.put("export.format", "csv");
        props.put("export.schedule", "0 2 * * *");
        props.put("export.key.fields", "id");
        props.put("export.file.date.format", "yyyyMMdd");
        props.put("export.sort.memory.bytes", Long.toString(budgetMb * 1024 * 1024));
        task.start(props);
        task.open(List.of(TP));

        long offset = 0;
        for (int stage = 0; stage < 2; stage++) {
            String name = stage == 0 ? "first" : "nightly";
            var records = stage == 0 ? firstStage(keys) : nightlyStage(keys);
            sampler.reset();
            long start = System.nanoTime();
            long startCpu = cpu();
            long count = 0;
            var batch = new ArrayList<SinkRecord>(BATCH);
            while (records.hasNext()) {
                Struct row = records.next();
                long id = records.id();
                batch.add(new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", id), row == null ? null : ROW, row, offset++));
                if (batch.size() == BATCH) {
                    task.put(batch);
                    batch.clear();
                }
                if (++count % 1_000_000 == 0) {
                    task.preCommit(Map.of(TP, new OffsetAndMetadata(offset)));
                }
            }
            task.put(batch);
            task.preCommit(Map.of(TP, new OffsetAndMetadata(offset)));
            double put = seconds(start);
            long exportStart = System.nanoTime();
            clock.set(clock.instant().plusSeconds(86_400));
            task.put(List.of());
            double export = seconds(exportStart);
            double total = seconds(start);
            double totalCpu = (cpu() - startCpu) / 1e9;
            Path file = newest(out);
            System.out.printf("%s: %,d records put in %.2f s, export of %s (%.1f MB) in %.2f s, total %.2f s"
                            + " (cpu %.2f s); ratio to ceiling %.2fx wall, %.2fx cpu; peak heap %d MB,"
                            + " peak live heap after GC %d MB%n",
                    name, count, put, file.getFileName(), Files.size(file) / 1e6, export, total, totalCpu,
                    ceiling / total, ceilingCpu / totalCpu, sampler.peak() >> 20, sampler.peakLive() >> 20);
        }
        task.stop();
        sampler.halt();
    }

    private static long ceiling(Path file, Rows rows) throws IOException {
        try (var stream = new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024);
             var csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(new OutputStreamWriter(stream, StandardCharsets.UTF_8))) {
            csv.writeRecord("id", "name", "email", "city", "amount", "status", "updated_at");
            var values = new String[7];
            while (rows.hasNext()) {
                Struct row = rows.next();
                values[0] = Long.toString(row.getInt64("id"));
                values[1] = row.getString("name");
                values[2] = row.getString("email");
                values[3] = row.getString("city");
                values[4] = ((BigDecimal) row.get("amount")).toPlainString();
                values[5] = row.getString("status");
                values[6] = Instant.ofEpochMilli(((java.util.Date) row.get("updated_at")).getTime()).toString();
                csv.writeRecord(values);
            }
        }
        return Files.size(file);
    }

    /** Every key once, in a shuffled order (a multiplicative permutation of 0..n-1). */
    static Rows firstStage(long keys) {
        return new Rows(keys, 0) {
            @Override
            long idAt(long i) {
                return permute(i, keys);
            }

            @Override
            Struct rowAt(long i, long id) {
                return row(id, 0);
            }
        };
    }

    /** 1% of the keys: 60% updates and 20% deletes of existing keys, 20% new keys. */
    static Rows nightlyStage(long keys) {
        long changes = keys / 100;
        return new Rows(changes, 1) {
            @Override
            long idAt(long i) {
                long kind = i % 5;
                return kind == 4 ? keys + i : permute(i * 37 + 11, keys);
            }

            @Override
            Struct rowAt(long i, long id) {
                return i % 5 == 3 ? null : row(id, 1);
            }
        };
    }

    private static long permute(long i, long n) {
        // 1,000,003 is prime and does not divide n for the sizes used, so i -> i * p mod n is a bijection
        return Math.floorMod(i * 1_000_003L, n);
    }

    private static Struct row(long id, int version) {
        var random = new Random(id * 31 + version);
        return new Struct(ROW).put("id", id).put("name", "Customer " + id + (version > 0 ? " v" + version : ""))
                .put("email", id % 7 == 0 ? null : "customer" + id + "@example.com")
                .put("city", CITIES[(int) (id % CITIES.length)])
                .put("amount", BigDecimal.valueOf(random.nextInt(10_000_000), 2))
                .put("status", id % 11 == 0 ? "CLOSED" : "ACTIVE")
                .put("updated_at", new java.util.Date(1_700_000_000_000L + id * 1000 + version));
    }

    /** Generated rows, one at a time, with the id of the current one. */
    abstract static class Rows {
        private final long count;
        private long next;
        private long id;

        Rows(long count, int stage) {
            this.count = count;
        }

        abstract long idAt(long i);

        abstract Struct rowAt(long i, long id);

        boolean hasNext() {
            return next < count;
        }

        Struct next() {
            id = idAt(next);
            return rowAt(next++, id);
        }

        long id() {
            return id;
        }
    }

    private static Path newest(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".csv")).max(Comparator.comparing(Path::toString)).orElseThrow();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** CPU time of this (the only working) thread, in ns: moves less than wall time on a shared machine. */
    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** What a worker gives a sink task: here, nothing it would need to act on. */
    static final class Context implements SinkTaskContext {
        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        /** Kafka 4.x asks for plugin metrics (KIP-877); the benchmark registers none. */
        @Override
        public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
            return null;
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
        }

        @Override
        public void timeout(long timeoutMs) {
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(TP);
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }
    }
}
