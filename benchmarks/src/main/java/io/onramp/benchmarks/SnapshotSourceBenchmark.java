package io.onramp.benchmarks;

import io.onramp.connect.source.file.FileSourceTask;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The file source's snapshot mode end to end, beside its anchor: {@link FileSourceTask} with
 * {@code mode=snapshot}, driven outside a worker, on the dumps of {@link SnapshotDiffBenchmark}
 * (same generator, same files). Where that benchmark measures the sort/diff engine on its byte
 * path, this one measures what the connector does today: FastCSV, a row mapper to a Connect
 * Struct, canonical text, the sorter, the run file, the diff, and a SourceRecord per change event.
 *
 * <p>For each variant (no contract: every column an optional string; with an Avro contract that
 * types id, amount and exported_at), one task is started with fresh directories and fed two dumps:
 * <ul>
 *   <li><b>first dump</b>: no snapshot applied yet, so every row is read, sorted, archived and
 *       emitted as a read event;</li>
 *   <li><b>diff dump</b>: the second dump, 1% changed, diffed against the archived first one.</li>
 * </ul>
 * Each dump is timed from the moment it is dropped into the input directory until the task has
 * emitted all its events, every one was acknowledged with {@code commitRecord}, the snapshot was
 * archived and the task polled empty. The anchor is {@code BufferedReader.readLine()} over the same
 * file, measured in the same run. Live heap is the heap in use right after a collection, as in
 * {@link SnapshotDiffBenchmark}. Each measurement runs {@code rounds} times; the best round is reported.
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * taskset -c 1 java -Xmx256m -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
 *     io.onramp.benchmarks.SnapshotSourceBenchmark [rows=1000000] [workDir=$TMPDIR/onramp-diff-bench] [rounds=2] \
 *     [variants=both|no-contract|contract]
 * </pre>
 */
public final class SnapshotSourceBenchmark {

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
    /** Empty polls in a row that mean the task has nothing left to do. */
    private static final int IDLE_POLLS = 3;

    private SnapshotSourceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"), "onramp-diff-bench");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String variants = args.length > 3 ? args[3] : "both"; // both | no-contract | contract
        Files.createDirectories(dir);
        Path oldCsv = dir.resolve("old-" + rows + ".csv");
        Path newCsv = dir.resolve("new-" + rows + ".csv");
        if (!Files.exists(oldCsv) || !Files.exists(newCsv)) {
            long t = System.nanoTime();
            SnapshotDiffBenchmark.generate(rows, oldCsv, newCsv);
            System.out.printf("generated %s and %s in %.1f s%n", oldCsv, newCsv, (System.nanoTime() - t) / 1e9);
        }
        Path contract = dir.resolve("customer.avsc");
        Files.writeString(contract, CONTRACT);
        double oldMb = Files.size(oldCsv) / 1e6;
        double newMb = Files.size(newCsv) / 1e6;

        var sampler = SnapshotDiffBenchmark.HeapSampler.start();
        readLines(oldCsv); // warm the page cache
        readLines(newCsv);
        Phase anchorOld = null;
        Phase anchorNew = null;
        Map<String, Dump[]> best = new java.util.LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            Phase a = time(() -> readLines(oldCsv));
            Phase b = time(() -> readLines(newCsv));
            anchorOld = anchorOld == null ? a : anchorOld.min(a);
            anchorNew = anchorNew == null ? b : anchorNew.min(b);
            System.out.printf("round %d: readLine old %.2f s, new %.2f s; load average %.1f%n", round, a.wall, b.wall,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            for (Path contractFile : new Path[] {null, contract}) {
                if (variants.equals(contractFile == null ? "contract" : "no-contract")) {
                    continue;
                }
                String name = contractFile == null ? "no contract" : "contract";
                Dump[] dumps = run(dir, oldCsv, newCsv, contractFile, sampler);
                System.out.printf("round %d, %-11s: first dump %.2f s (cpu %.2f, process %.2f), %,d events, live heap "
                                + "%.1f MB; diff dump %.2f s (cpu %.2f, process %.2f), %s, live heap %.1f MB; "
                                + "x readLine %.2f%n", round, name,
                        dumps[0].phase.wall, dumps[0].phase.cpu, dumps[0].phase.processCpu, dumps[0].events(),
                        dumps[0].peakLive / 1e6, dumps[1].phase.wall, dumps[1].phase.cpu, dumps[1].phase.processCpu,
                        dumps[1].ops, dumps[1].peakLive / 1e6, b.wall / dumps[1].phase.wall);
                best.merge(name, dumps, (x, y) -> new Dump[] {x[0].min(y[0]), x[1].min(y[1])});
            }
        }
        sampler.halt();

        System.out.printf("%nrows: %,d per dump; old dump %.1f MB, new dump %.1f MB; best of %d rounds; max heap %.0f MB; "
                        + "JVM %s; %d processors; load average at the end %.1f%n", rows, oldMb, newMb, rounds,
                Runtime.getRuntime().maxMemory() / 1e6, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("%-40s %8s %8s %8s %8s %10s %10s %10s %9s%n", "", "wall s", "MB/s", "cpu s", "proc cpu",
                "x readLine", "(cpu)", "(proc cpu)", "live MB");
        line("readLine, old dump (anchor)", anchorOld, oldMb, anchorOld, -1);
        line("readLine, new dump (anchor)", anchorNew, newMb, anchorNew, -1);
        for (var entry : best.entrySet()) {
            Dump[] d = entry.getValue();
            line("first dump, " + entry.getKey(), d[0].phase, oldMb, anchorOld, d[0].peakLive);
            line("diff dump, " + entry.getKey(), d[1].phase, newMb, anchorNew, d[1].peakLive);
            System.out.printf("  events, %s: first dump %s; diff dump %s%n", entry.getKey(), d[0].ops, d[1].ops);
        }
    }

    private static void line(String name, Phase phase, double mb, Phase anchor, long live) {
        System.out.printf("%-40s %8.2f %8.1f %8.2f %8.2f %10s %10s %10s %9s%n", name, phase.wall, mb / phase.wall,
                phase.cpu, phase.processCpu, live < 0 ? "" : String.format("%.2f", anchor.wall / phase.wall),
                live < 0 ? "" : String.format("%.2f", anchor.cpu / phase.cpu),
                live < 0 ? "" : String.format("%.2f", anchor.processCpu / phase.processCpu),
                live < 0 ? "" : String.format("%.1f", live / 1e6));
    }

    /** Wall time, the driving thread's CPU time, and the whole process's CPU time (every thread, GC included). */
    private record Phase(double wall, double cpu, double processCpu) {
        Phase min(Phase other) {
            return new Phase(Math.min(wall, other.wall), Math.min(cpu, other.cpu), Math.min(processCpu, other.processCpu));
        }
    }

    private record Dump(Phase phase, TreeMap<String, Long> ops, long peakLive) {
        long events() {
            return ops.values().stream().mapToLong(Long::longValue).sum();
        }

        Dump min(Dump other) {
            return new Dump(phase.min(other.phase), ops, Math.max(peakLive, other.peakLive));
        }
    }

    /**
     * One task, fresh directories, the two dumps one after the other. With {@code -Dbench.diffRepeats=N} (N > 1),
     * the diff dump runs N times, each time on a new task over a copy of the archive the first dump left (its run
     * hard-linked), right after a readLine anchor of the new dump; each repeat prints its own ratio, and the
     * fastest repeat is returned.
     */
    private static Dump[] run(Path dir, Path oldCsv, Path newCsv, Path contract, SnapshotDiffBenchmark.HeapSampler sampler)
            throws Exception {
        Path root = dir.resolve("source");
        delete(root);
        Path archive = Files.createDirectories(root.resolve("archive"));
        int repeats = Integer.getInteger("bench.diffRepeats", 1);
        try {
            if (repeats <= 1) {
                var task = start(root.resolve("attempt"), archive, contract);
                try {
                    Dump first = dump(task, oldCsv, root.resolve("attempt/in/customers-1.csv"), sampler);
                    Dump second = dump(task, newCsv, root.resolve("attempt/in/customers-2.csv"), sampler);
                    checkDone(root.resolve("attempt"), 2);
                    return new Dump[] {first, second};
                } finally {
                    task.stop();
                }
            }
            Dump first;
            var task = start(root.resolve("attempt-0"), archive, contract);
            try {
                first = dump(task, oldCsv, root.resolve("attempt-0/in/customers-1.csv"), sampler);
                checkDone(root.resolve("attempt-0"), 1);
            } finally {
                task.stop();
            }
            Dump second = null;
            var walls = new double[repeats];
            var anchors = new double[repeats];
            var ratios = new double[repeats];
            for (int repeat = 1; repeat <= repeats; repeat++) {
                Path attempt = root.resolve("attempt-" + repeat);
                Path copy = copyOf(archive, root.resolve("archive-" + repeat));
                Phase anchor = time(() -> readLines(newCsv));
                var again = start(attempt, copy, contract);
                try {
                    Dump diffed = dump(again, newCsv, attempt.resolve("in/customers-2.csv"), sampler);
                    checkDone(attempt, 1);
                    System.out.printf("  diff repeat %d: %.2f s (cpu %.2f, process %.2f), readLine just before %.2f s: "
                                    + "x readLine %.2f; live heap %.1f MB; load average %.1f%n", repeat,
                            diffed.phase.wall, diffed.phase.cpu, diffed.phase.processCpu, anchor.wall,
                            anchor.wall / diffed.phase.wall, diffed.peakLive / 1e6,
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                    second = second == null ? diffed : second.min(diffed);
                    walls[repeat - 1] = diffed.phase.wall;
                    anchors[repeat - 1] = anchor.wall;
                    ratios[repeat - 1] = anchor.wall / diffed.phase.wall;
                } finally {
                    again.stop();
                }
                delete(copy);
                delete(attempt);
            }
            // Medians over the repeats after the first (which warms the JIT), each ratio paired with the readLine run
            // just before it: the machine's own swings move both sides of a pair together.
            int from = repeats > 2 ? 1 : 0;
            System.out.printf("  diff repeats %d-%d: median %.3f s, median readLine just before %.3f s; median of the "
                            + "paired ratios %.2f, ratio of the medians %.2f%n", from + 1, repeats,
                    median(walls, from), median(anchors, from), median(ratios, from),
                    median(anchors, from) / median(walls, from));
            return new Dump[] {first, second};
        } finally {
            delete(root);
        }
    }

    private static double median(double[] values, int from) {
        double[] sorted = java.util.Arrays.copyOfRange(values, from, values.length);
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A task over fresh input, finished and error directories under {@code attempt}, and {@code archive}. */
    private static FileSourceTask start(Path attempt, Path archive, Path contract) throws IOException {
        Path in = Files.createDirectories(attempt.resolve("in"));
        Path finished = Files.createDirectories(attempt.resolve("finished"));
        Path error = Files.createDirectories(attempt.resolve("error"));
        var props = new HashMap<>(SpoolProps.csv("customers", in, finished, error, contract));
        props.put("name", "snapshot-bench");
        props.put("mode", "snapshot");
        props.put("snapshot.archive.path", archive.toString());
        props.put("snapshot.key.fields", "id");
        props.put("snapshot.ignore.fields", "exported_at");
        var task = new FileSourceTask();
        task.initialize(new FreshTaskContext(Map.of()));
        task.start(props);
        return task;
    }

    private static void checkDone(Path attempt, int dumps) throws IOException {
        try (Stream<Path> errors = Files.list(attempt.resolve("error"))) {
            if (errors.findAny().isPresent()) {
                throw new IllegalStateException("the file source rejected a dump; see " + attempt.resolve("error"));
            }
        }
        try (Stream<Path> done = Files.list(attempt.resolve("finished"))) {
            if (done.count() != dumps) {
                throw new IllegalStateException("expected " + dumps + " dump(s) in " + attempt.resolve("finished"));
            }
        }
    }

    /** A new archive directory holding the same files: the run hard-linked, everything else copied. */
    private static Path copyOf(Path archive, Path copy) throws IOException {
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(archive)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(file.getFileName());
                if (file.getFileName().toString().endsWith(".run")) {
                    Files.createLink(target, file);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    /**
     * Drops {@code csv} into the input directory (a hard link) and polls until the task has been idle
     * {@link #IDLE_POLLS} times in a row, acknowledging every record. The time ends at the first of those
     * empty polls, which is the one that archived the snapshot and found nothing more to read (its 10 ms
     * poll-interval wait included).
     */
    private static Dump dump(FileSourceTask task, Path csv, Path input, SnapshotDiffBenchmark.HeapSampler sampler)
            throws Exception {
        System.gc();
        sampler.reset();
        var ops = new TreeMap<String, Long>();
        long t0 = System.nanoTime();
        long c0 = cpu();
        long p0 = processCpu();
        Files.createLink(input, csv);
        long endWall = 0;
        long endCpu = 0;
        long endProcessCpu = 0;
        int idle = 0;
        boolean sawRecords = false;
        while (idle < IDLE_POLLS) {
            List<SourceRecord> batch = task.poll();
            if (batch == null) {
                if (idle == 0) {
                    endWall = System.nanoTime();
                    endCpu = cpu();
                    endProcessCpu = processCpu();
                }
                if (sawRecords) {
                    idle++;
                }
                continue;
            }
            sawRecords = true;
            idle = 0;
            for (SourceRecord record : batch) {
                Header op = record.headers().lastWithName("onramp.op");
                ops.merge(op == null ? "?" : String.valueOf(op.value()), 1L, Long::sum);
                task.commitRecord(record, null);
            }
        }
        var phase = new Phase((endWall - t0) / 1e9, (endCpu - c0) / 1e9, (endProcessCpu - p0) / 1e9);
        return new Dump(phase, ops, sampler.peakLive());
    }

    private interface Work {
        void run() throws IOException;
    }

    private static Phase time(Work work) throws IOException {
        long t = System.nanoTime();
        long c = cpu();
        long p = processCpu();
        work.run();
        return new Phase((System.nanoTime() - t) / 1e9, (cpu() - c) / 1e9, (processCpu() - p) / 1e9);
    }

    private static long readLines(Path file) throws IOException {
        long lines = 0;
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            while (reader.readLine() != null) {
                lines++;
            }
        }
        return lines;
    }

    /**
     * CPU time of the connector's threads: this one (Connect's task thread) and the task's own poll thread, where
     * FileSourceTask runs its mode's work so that a stop need not wait for a sort. That thread lives as long as the
     * task, so its total is there to read at every measurement.
     */
    private static long cpu() {
        var threads = ManagementFactory.getThreadMXBean();
        long total = threads.getCurrentThreadCpuTime();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("onramp-file-source-")) {
                total += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    /** CPU time of every thread of the process: snapshot mode may read ahead on a second thread. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        // The task deletes its spill runs in the background after a diff: they may go while this walks.
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException
                     | java.nio.file.DirectoryNotEmptyException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
