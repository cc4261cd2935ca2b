package io.onramp.benchmarks;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.onramp.connect.core.diff.ChangeEvent;
import io.onramp.connect.core.diff.DiffOptions;
import io.onramp.connect.core.diff.DiffSummary;
import io.onramp.connect.core.diff.SnapshotDiff;
import io.onramp.connect.core.sort.CsvRowReader;
import io.onramp.connect.core.sort.ExternalSorter;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowKey;
import io.onramp.connect.core.sort.RowLayout;
import io.onramp.connect.core.sort.SortedRunFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of snapshot mode's sort + diff, measured beside its anchor: reading the same CSV
 * files line by line with a {@code BufferedReader}, the least any snapshot diff must do.
 *
 * <p>Generates (once, in the work dir) two shuffled CSV dumps of N rows, ~100 bytes each, the
 * second with 1% changed (0.4% updates, 0.3% inserts, 0.3% deletes) and a new export timestamp
 * on every row, which the diff ignores. Then, as the file source will: parse + sort the old
 * dump into a {@link SortedRunFile}; parse + sort the new dump, diff it against that file and
 * write it as the next sorted run file, all in one stream.
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -Xmx256m -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
 *     io.onramp.benchmarks.SnapshotDiffBenchmark [rows=1000000] [workDir=$TMPDIR/onramp-diff-bench] [sortBudgetMb=32] [bytes|rows] [rounds=3]
 * </pre>
 */
public final class SnapshotDiffBenchmark {

    private static final RowLayout LAYOUT = RowLayout.of("id", "name", "email", "city", "amount", "status", "exported_at");
    private static final List<KeyColumn> KEY = List.of(KeyColumn.numeric("id"));
    private static final String[] CITIES = {"Berlin", "Lisboa", "São Paulo", "Zürich", "Kraków", "Osaka", "Lyon"};

    private SnapshotDiffBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"), "onramp-diff-bench");
        long budget = (args.length > 2 ? Long.parseLong(args[2]) : 32) * 1024 * 1024;
        boolean asRows = args.length > 3 && args[3].equals("rows");
        Files.createDirectories(dir);
        Path oldCsv = dir.resolve("old-" + rows + ".csv");
        Path newCsv = dir.resolve("new-" + rows + ".csv");
        if (!Files.exists(oldCsv) || !Files.exists(newCsv)) {
            long t = System.nanoTime();
            generate(rows, oldCsv, newCsv);
            System.out.printf("generated %s and %s in %.1f s%n", oldCsv, newCsv, seconds(t));
        }
        long bytes = Files.size(oldCsv) + Files.size(newCsv);
        double mb = bytes / 1e6;
        double newMb = Files.size(newCsv) / 1e6;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        var sampler = HeapSampler.start();
        rawRead(oldCsv, newCsv); // warm the page cache
        Round best = null;
        for (int i = 1; i <= rounds; i++) {
            Round round = round(dir, oldCsv, newCsv, budget, asRows);
            System.out.printf("round %d: raw read %.2f s (cpu %.2f), old stage %.2f s (cpu %.2f), new stage %.2f s (cpu %.2f)%n",
                    i, round.raw.wall, round.raw.cpu, round.old.wall, round.old.cpu, round.neu.wall, round.neu.cpu);
            best = best == null ? round : best.min(round);
        }
        sampler.halt();
        Round r = best;
        System.out.printf("%nrows: %,d per snapshot; bytes: %,d (two CSV files, new one %,d); sort budget %d MB; "
                + "runs spilled old/new: %d/%d; input path: %s; best of %d rounds, wall and main-thread CPU%n",
                rows, bytes, Files.size(newCsv), budget >> 20, r.oldRuns, r.newRuns,
                asRows ? "FastCSV -> Row (strings)" : "CsvRowReader -> encoded rows (bytes)", rounds);
        System.out.printf("%-52s %8s %9s %8s %9s%n", "", "wall s", "MB/s", "cpu s", "MB/s");
        line("raw read, both files (BufferedReader.readLine)", r.raw, mb);
        line("old stage: parse + sort old -> run file", r.old, mb - newMb);
        line("new stage: parse + sort new + diff + write run file", r.neu, newMb);
        line("both stages, both files", new Phase(r.old.wall + r.neu.wall, r.old.cpu + r.neu.cpu), mb);
        System.out.printf("ratio to raw read (target >= 0.5): new stage %.2f wall, %.2f cpu; both stages %.2f wall, %.2f cpu%n",
                (newMb / r.neu.wall) / (mb / r.raw.wall), (newMb / r.neu.cpu) / (mb / r.raw.cpu),
                (mb / (r.old.wall + r.neu.wall)) / (mb / r.raw.wall), (mb / (r.old.cpu + r.neu.cpu)) / (mb / r.raw.cpu));
        System.out.printf("raw bytes (InputStream, 1 MB reads, no line splitting), for information: %.1f MB/s%n",
                mb / r.rawBytes);
        System.out.printf("commit (fsync + rename) of the two run files: %.2f s (in the stages above)%n", r.commitSeconds);
        System.out.printf("events: %s; summary: %s%n", r.counts, r.summary);
        System.out.printf("heap: peak live after GC %.1f MB; peak sampled used (garbage included) %.1f MB, "
                + "sum of pool peaks %.1f MB, max %.1f MB%n", sampler.peakLive() / 1e6, sampler.peak() / 1e6, poolPeaks() / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
    }

    private static void line(String name, Phase phase, double mb) {
        System.out.printf("%-52s %8.2f %9.1f %8.2f %9.1f%n", name, phase.wall, mb / phase.wall, phase.cpu, mb / phase.cpu);
    }

    private record Phase(double wall, double cpu) {
        Phase min(Phase other) {
            return new Phase(Math.min(wall, other.wall), Math.min(cpu, other.cpu));
        }
    }

    private record Round(Phase raw, double rawBytes, Phase old, Phase neu, int oldRuns, int newRuns, double commitSeconds,
                         EnumMap<ChangeEvent.Op, Long> counts, DiffSummary summary) {
        Round min(Round o) {
            return new Round(raw.min(o.raw), Math.min(rawBytes, o.rawBytes), old.min(o.old), neu.min(o.neu), oldRuns, newRuns,
                    Math.min(commitSeconds, o.commitSeconds), counts, summary);
        }
    }

    private static Round round(Path dir, Path oldCsv, Path newCsv, long budget, boolean asRows) throws IOException {
        long t0 = System.nanoTime();
        long c0 = cpu();
        rawRead(oldCsv, newCsv);
        var raw = new Phase(seconds(t0), (cpu() - c0) / 1e9);
        long tb = System.nanoTime();
        rawBytes(oldCsv, newCsv);
        double rawBytesSeconds = seconds(tb);

        Path oldRun = dir.resolve("old.run");
        Path newRun = dir.resolve("new.run");
        Path spill = Files.createDirectories(dir.resolve("spill"));
        var sorter = new ExternalSorter(RowKey.of(LAYOUT, KEY), budget, spill);

        long t1 = System.nanoTime();
        long c1 = cpu();
        int oldRuns;
        long commitNanos;
        try (var sorted = sorter.sort(parse(oldCsv, asRows)); var out = SortedRunFile.create(oldRun, LAYOUT, KEY)) {
            oldRuns = sorted.spilledRuns();
            for (var teed = out.tee(sorted); teed.advanceEncoded(); ) {
                // each record is appended as it passes
            }
            long tc = System.nanoTime();
            out.commit();
            commitNanos = System.nanoTime() - tc;
        }
        var old = new Phase(seconds(t1), (cpu() - c1) / 1e9);

        long t2 = System.nanoTime();
        long c2 = cpu();
        var counts = new EnumMap<ChangeEvent.Op, Long>(ChangeEvent.Op.class);
        DiffSummary summary;
        int newRuns;
        try (var previous = SortedRunFile.open(oldRun);
             var sorted = sorter.sort(parse(newCsv, asRows));
             var next = SortedRunFile.create(newRun, LAYOUT, KEY)) {
            newRuns = sorted.spilledRuns();
            Iterator<Row> tee = next.tee(sorted); // the new snapshot becomes the next "previous"
            var options = new DiffOptions(KEY, Set.of("exported_at"), false);
            summary = SnapshotDiff.run(previous.layout(), previous, LAYOUT, tee, options,
                    event -> counts.merge(event.op(), 1L, Long::sum));
            long tc = System.nanoTime();
            next.commit();
            commitNanos += System.nanoTime() - tc;
        }
        var neu = new Phase(seconds(t2), (cpu() - c2) / 1e9);
        return new Round(raw, rawBytesSeconds, old, neu, oldRuns, newRuns, commitNanos / 1e9, counts, summary);
    }

    /** The CSV as encoded rows (the byte path), or with {@code asRows} as FastCSV-parsed {@link Row}s. */
    private static Iterator<Row> parse(Path csv, boolean asRows) throws IOException {
        if (!asRows) {
            var reader = CsvRowReader.open(csv, ',', '"', true);
            if (!reader.layout().equals(LAYOUT)) {
                throw new IllegalStateException("unexpected header " + reader.header());
            }
            return reader;
        }
        CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv, StandardCharsets.UTF_8);
        Iterator<CsvRecord> records = reader.iterator();
        records.next(); // header
        return new Iterator<>() {
            public boolean hasNext() {
                return records.hasNext();
            }

            public Row next() {
                CsvRecord record = records.next();
                return new Row(record.getFields(), record.getStartingLineNumber());
            }
        };
    }

    private static long rawBytes(Path... files) throws IOException {
        long sum = 0;
        byte[] buffer = new byte[1 << 20];
        for (Path file : files) {
            try (var in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sum += n + buffer[n - 1];
                }
            }
        }
        return sum;
    }

    private static long rawRead(Path... files) throws IOException {
        long lines = 0;
        for (Path file : files) {
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                while (reader.readLine() != null) {
                    lines++;
                }
            }
        }
        return lines;
    }

    /** Also used by {@link SnapshotSourceBenchmark}, so that both measure the same dumps. */
    static void generate(int rows, Path oldCsv, Path newCsv) throws IOException {
        var random = new Random(20240601);
        int[] ids = shuffled(rows, random);
        try (var old = Files.newBufferedWriter(oldCsv); var neu = Files.newBufferedWriter(newCsv)) {
            String header = String.join(",", LAYOUT.columnNames()) + "\n";
            old.write(header);
            neu.write(header);
            for (int id : ids) {
                old.write(line(id, 0, "2024-06-01T02:00:00Z"));
            }
            // The new dump: another order, 0.3% deleted, 0.4% updated, 0.3% inserted with fresh ids.
            int[] order = shuffled(rows + rows * 3 / 1000, random);
            for (int i : order) {
                if (i >= rows) {
                    neu.write(line(i, 0, "2024-06-02T02:00:00Z"));
                } else {
                    int roll = (int) Math.floorMod(i * 2654435761L, 1000L); // spreads changes over the ids
                    if (roll < 3) {
                        continue;
                    }
                    neu.write(line(i, roll < 7 ? 1 : 0, "2024-06-02T02:00:00Z"));
                }
            }
        }
    }

    private static String line(int id, int version, String exportedAt) {
        return id + ",Customer " + id + ",customer" + id + "@example.com," + CITIES[id % CITIES.length] + ","
                + (id % 10_000 + version) + "." + (id % 100) + "," + (id % 3 == 0 ? "active" : "dormant") + ","
                + exportedAt + "\n";
    }

    private static int[] shuffled(int n, Random random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static long poolPeaks() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long cpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Heap peaks, from the JVM's notification after each collection (heap in use just before it, and right after):
     * no polling thread taking CPU from what is measured, on 2 cores (a sampler every 5 ms took about 2 % of one).
     */
    static final class HeapSampler implements javax.management.NotificationListener {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong peakLive = new AtomicLong();
        private final java.util.Set<String> heapPools = new java.util.HashSet<>();
        private final List<javax.management.NotificationEmitter> emitters = new java.util.ArrayList<>();

        static HeapSampler start() {
            var sampler = new HeapSampler();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    sampler.heapPools.add(pool.getName());
                }
            }
            for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (collector instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener(sampler, null, null);
                    sampler.emitters.add(emitter);
                }
            }
            return sampler;
        }

        @Override
        public void handleNotification(javax.management.Notification notification, Object handback) {
            if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                    .equals(notification.getType())) {
                return;
            }
            var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                    (javax.management.openmbean.CompositeData) notification.getUserData()).getGcInfo();
            peak.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc()), Math::max);
            peakLive.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc()), Math::max);
        }

        private long heapUsed(java.util.Map<String, java.lang.management.MemoryUsage> pools) {
            long used = 0;
            for (var entry : pools.entrySet()) {
                if (heapPools.contains(entry.getKey())) {
                    used += entry.getValue().getUsed();
                }
            }
            return used;
        }

        void halt() {
            for (var emitter : emitters) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (javax.management.ListenerNotFoundException e) {
                    // not registered: nothing to remove
                }
            }
        }

        /**
         * Starts a new measurement: the peaks seen so far are forgotten. The live heap starts at what the last
         * collection left, so that a phase with no collection of its own reports that, not nothing.
         */
        void reset() {
            peak.set(0);
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    live += pool.getCollectionUsage().getUsed();
                }
            }
            peakLive.set(live);
        }

        /** Highest heap in use seen: before a collection, or now. */
        long peak() {
            var runtime = Runtime.getRuntime();
            return Math.max(peak.get(), runtime.totalMemory() - runtime.freeMemory());
        }

        /** Highest heap in use right after a collection: what the run keeps live, garbage excluded. */
        long peakLive() {
            return peakLive.get();
        }
    }
}
