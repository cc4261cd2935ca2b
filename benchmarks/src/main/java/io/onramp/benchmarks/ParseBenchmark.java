package io.onramp.benchmarks;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.onramp.connect.source.file.FileSourceTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.file.FileStreamSourceConnector;
import org.apache.kafka.connect.file.FileStreamSourceTask;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Parse throughput of one file source task (CSV to Connect {@link SourceRecord}s), beside two
 * anchors measured in the same run on the same file:
 * <ul>
 *   <li>Kafka's {@link FileStreamSourceTask}: reads the file as lines, one string record per
 *       line, no parsing: the floor any Connect file source should reach;</li>
 *   <li>FastCSV parsing the file to field lists with no Connect work: the ceiling, since
 *       Onramp's CSV reader is built on it.</li>
 * </ul>
 * Onramp's task runs twice: without a contract (every column an optional string, from the
 * header) and with an Avro contract (long, decimal, timestamp fields typed and validated).
 * Tasks are driven outside a worker: a tiny context with no committed offsets, {@code poll()}
 * until every row is returned, {@code commitRecord} for each record as a worker would.
 * Each measurement runs {@code rounds} times; the best round is reported (the first ones warm the JIT).
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -Xmx1g -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
 *     io.onramp.benchmarks.ParseBenchmark [rows=1000000] [workDir=$TMPDIR/onramp-parse-bench] [rounds=3]
 * </pre>
 */
public final class ParseBenchmark {

    private static final String HEADER = "id,name,email,city,amount,status,exported_at";
    private static final String[] CITIES = {"Berlin", "Lisboa", "São Paulo", "Zürich", "Kraków", "Osaka", "Lyon"};
    private static final String CONTRACT = """
            {"type": "record", "name": "Customer", "namespace": "bench", "fields": [
              {"name": "id", "type": "long"},
              {"name": "name", "type": "string"},
              {"name": "email", "type": "string"},
              {"name": "city", "type": "string"},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
              {"name": "status", "type": "string"},
              {"name": "exported_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}
            """;

    private ParseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"), "onramp-parse-bench");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Files.createDirectories(dir);
        Path source = dir.resolve("customers-" + rows + ".csv");
        if (!Files.exists(source)) {
            generate(rows, source);
        }
        Path contract = dir.resolve("customer.avsc");
        Files.writeString(contract, CONTRACT);
        long bytes = Files.size(source);

        var results = new ArrayList<Result>();
        results.add(best(rounds, "FastCSV parse, no Connect (ceiling)", bytes, () -> fastCsv(source)));
        results.add(best(rounds, "Kafka FileStreamSourceTask, lines", bytes, () -> fileStream(source, dir, rows)));
        results.add(best(rounds, "Onramp FileSourceTask, CSV, no contract", bytes, () -> onramp(source, dir, rows, null)));
        results.add(best(rounds, "Onramp FileSourceTask, CSV + contract", bytes, () -> onramp(source, dir, rows, contract)));

        System.out.printf("%nfile: %s, %,d rows, %,d bytes; best of %d rounds; JVM %s, %d cpus%n", source, rows, bytes,
                rounds, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-42s %12s %10s %10s %12s %12s%n", "", "records", "seconds", "MB/s", "records/s", "");
        for (Result r : results) {
            System.out.printf("%-42s %,12d %10.2f %10.1f %,12.0f%n", r.name, r.records, r.seconds, r.mbPerSecond(),
                    r.records / r.seconds);
        }
        Result ceiling = results.get(0);
        Result lines = results.get(1);
        for (Result onramp : results.subList(2, 4)) {
            System.out.printf("%s: %.2f x FileStreamSourceTask, %.2f x FastCSV%n", onramp.name,
                    onramp.mbPerSecond() / lines.mbPerSecond(), onramp.mbPerSecond() / ceiling.mbPerSecond());
        }
    }

    private record Result(String name, long records, double seconds, long bytes) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    interface Run {
        long records() throws Exception;
    }

    private static Result best(int rounds, String name, long bytes, Run run) throws Exception {
        Result best = null;
        for (int i = 0; i < rounds; i++) {
            System.gc();
            long t = System.nanoTime();
            long records = run.records();
            double seconds = (System.nanoTime() - t) / 1e9;
            System.out.printf("  %-42s round %d: %,d records in %.2f s%n", name, i + 1, records, seconds);
            if (best == null || seconds < best.seconds) {
                best = new Result(name, records, seconds, bytes);
            }
        }
        return best;
    }

    private static long fastCsv(Path file) throws IOException {
        long count = 0;
        long chars = 0;
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file, StandardCharsets.UTF_8)) {
            for (CsvRecord record : reader) {
                chars += record.getField(0).length(); // touch the result so nothing is optimised away
                count++;
            }
        }
        return chars > 0 ? count - 1 : -1; // minus the header
    }

    private static long fileStream(Path file, Path dir, int rows) throws Exception {
        var props = Map.of(FileStreamSourceConnector.FILE_CONFIG, file.toString(),
                FileStreamSourceConnector.TOPIC_CONFIG, "bench",
                FileStreamSourceConnector.TASK_BATCH_SIZE_CONFIG, "10000");
        var task = new FileStreamSourceTask();
        return drive(task, props, rows + 1); // every line, header included
    }

    private static long onramp(Path file, Path dir, int rows, Path contract) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path finished = Files.createDirectories(dir.resolve("finished"));
        Path error = Files.createDirectories(dir.resolve("error"));
        Path input = in.resolve("customers.csv");
        Files.deleteIfExists(input);
        Files.createLink(input, file); // a hard link: the task moves it to finished, the source stays
        var props = SpoolProps.csv("bench", in, finished, error, contract);
        long count;
        try {
            count = drive(new FileSourceTask(), props, rows);
        } finally {
            try (var done = Files.list(finished)) {
                for (Path p : done.toList()) {
                    Files.delete(p);
                }
            }
        }
        try (var errors = Files.list(error)) {
            if (errors.findAny().isPresent()) {
                throw new IllegalStateException("the file source rejected the file; see " + error);
            }
        }
        return count;
    }

    /** Polls until {@code expected} records arrived, acknowledging each one as a worker would. */
    private static long drive(SourceTask task, Map<String, String> props, long expected) throws Exception {
        task.initialize(new FreshTaskContext(props));
        task.start(props);
        long count = 0;
        long hash = 0;
        try {
            while (count < expected) {
                List<SourceRecord> batch = task.poll();
                if (batch == null) {
                    continue;
                }
                for (SourceRecord record : batch) {
                    hash += System.identityHashCode(record.value());
                    task.commitRecord(record, null);
                }
                count += batch.size();
            }
            task.commit();
            if (task instanceof FileSourceTask) {
                task.poll(); // lets the task move the finished file
            }
        } finally {
            task.stop();
        }
        return hash == 42 ? -count : count;
    }

    private static void generate(int rows, Path file) throws IOException {
        var random = new Random(7);
        try (var out = Files.newBufferedWriter(file)) {
            out.write(HEADER + "\n");
            for (int id = 0; id < rows; id++) {
                out.write(id + ",Customer " + id + ",customer" + id + "@example.com," + CITIES[id % CITIES.length] + ","
                        + (random.nextInt(1_000_000)) + "." + (10 + random.nextInt(90)) + ","
                        + (id % 3 == 0 ? "active" : "dormant") + ",2024-06-01T02:00:00Z\n");
            }
        }
    }
}
