package io.onramp.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds spent between {@link #start()} and {@link #stop()}: this JVM's in all (GC and JIT included), its threads
 * grouped by name (the Connect task thread, Onramp's poll worker and read-ahead threads, Debezium's own threads, the
 * producer's network thread, the broker's request handlers), and the local PostgreSQL server's processes (read from
 * /proc; left out where there is none). Wall-clock time on a loaded machine says little; CPU time says what each part
 * cost. A thread that ended during the interval is not counted in its group (it still is in the JVM's total).
 */
final class CpuClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Clock ticks per second of /proc/[pid]/stat's utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<Long, Long> threadNanos;
    private final long processNanos;
    private final long postgresTicks;
    private final Map<String, Long> nativeTicks;
    private final Map<Long, String> javaNames;

    private CpuClock(Map<Long, Long> threadNanos, long processNanos, long postgresTicks, Map<String, Long> nativeTicks,
            Map<Long, String> javaNames) {
        this.threadNanos = threadNanos;
        this.processNanos = processNanos;
        this.postgresTicks = postgresTicks;
        this.nativeTicks = nativeTicks;
        this.javaNames = javaNames;
    }

    static CpuClock start() {
        return new CpuClock(threadNanos(), processNanos(), postgresTicks(), taskTicks(), javaNames());
    }

    /**
     * CPU seconds since {@link #start()} of every thread of this JVM, grouped by name with numbers replaced by '#',
     * largest first: the Java threads by their full name (ThreadMXBean), the JVM's own threads (GC, JIT compilers, VM
     * thread: no Java name) by the 15-character name Linux keeps for them in /proc/self/task. Threads that ended in
     * between are missing (their time is in the JVM's total).
     */
    Map<String, Double> byThread() {
        Map<String, Double> groups = new HashMap<>();
        java.util.Set<String> javaComms = new java.util.HashSet<>();
        for (long id : THREADS.getAllThreadIds()) {
            ThreadInfo info = THREADS.getThreadInfo(id);
            long nanos = THREADS.getThreadCpuTime(id);
            if (info == null || nanos < 0) {
                continue;
            }
            String name = info.getThreadName();
            javaComms.add(name.substring(0, Math.min(15, name.length())));
            groups.merge("java: " + name.replaceAll("[0-9]+", "#"), (nanos - threadNanos.getOrDefault(id, 0L)) / 1e9, Double::sum);
        }
        javaNames.values().forEach(name -> javaComms.add(name.substring(0, Math.min(15, name.length()))));
        Map<String, Long> now = taskTicks();
        now.forEach((key, ticks) -> {
            String comm = key.substring(key.indexOf('/') + 1);
            if (!javaComms.contains(comm)) {
                groups.merge("jvm: " + comm.replaceAll("[0-9]+", "#"), (ticks - nativeTicks.getOrDefault(key, 0L)) / TICKS_PER_SECOND,
                        Double::sum);
            }
        });
        Map<String, Double> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static Map<Long, String> javaNames() {
        Map<Long, String> names = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            ThreadInfo info = THREADS.getThreadInfo(id);
            if (info != null) {
                names.put(id, info.getThreadName());
            }
        }
        return names;
    }

    /** utime + stime ticks of each thread of this process, keyed "tid/comm". */
    private static Map<String, Long> taskTicks() {
        Map<String, Long> ticks = new HashMap<>();
        Path tasks = Paths.get("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return ticks;
        }
        try (Stream<Path> entries = Files.list(tasks)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                try {
                    String stat = Files.readString(entry.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String comm = stat.substring(stat.indexOf('(') + 1, close);
                    String[] fields = stat.substring(close + 2).split(" ");
                    ticks.put(entry.getFileName() + "/" + comm, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    /** CPU seconds since {@link #start()}, by where: "JVM", then its thread groups, then "PostgreSQL". */
    Map<String, Double> stop() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("JVM", (processNanos() - processNanos) / 1e9);
        for (String group : new String[] {"task thread", "Onramp poll worker", "Onramp read-ahead", "Debezium threads",
            "producer network", "broker request handlers"}) {
            cpu.put(group, 0.0);
        }
        for (long id : THREADS.getAllThreadIds()) {
            ThreadInfo info = THREADS.getThreadInfo(id);
            long nanos = THREADS.getThreadCpuTime(id);
            if (info == null || nanos < 0) {
                continue;
            }
            String group = group(info.getThreadName());
            if (group != null) {
                cpu.merge(group, (nanos - threadNanos.getOrDefault(id, 0L)) / 1e9, Double::sum);
            }
        }
        long ticks = postgresTicks();
        if (ticks >= 0 && postgresTicks >= 0) {
            cpu.put("PostgreSQL", (ticks - postgresTicks) / TICKS_PER_SECOND);
        }
        return cpu;
    }

    private static String group(String thread) {
        if (thread.startsWith("task-thread-")) {
            return "task thread";
        }
        if (thread.startsWith("onramp-jdbc-source-")) {
            return "Onramp poll worker"; // core's PollWorker: runs the task's poll work while poll() waits for it
        }
        if (thread.startsWith("onramp-jdbc-read-ahead")) {
            return "Onramp read-ahead";
        }
        if (thread.startsWith("kafka-producer-network-thread") && thread.contains("connector-producer")) {
            return "producer network";
        }
        if (thread.toLowerCase().contains("debezium")) {
            return "Debezium threads";
        }
        if (thread.contains("request-handler")) {
            return "broker request handlers";
        }
        return null;
    }

    private static Map<Long, Long> threadNanos() {
        Map<Long, Long> nanos = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            nanos.put(id, THREADS.getThreadCpuTime(id));
        }
        return nanos;
    }

    private static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * utime + stime of every process named postgres, plus the time of its ended children (cutime + cstime: the
     * postmaster's, once a backend exits), or -1 when /proc cannot be read.
     */
    private static long postgresTicks() {
        Path proc = Paths.get("/proc");
        if (!Files.isDirectory(proc)) {
            return -1;
        }
        long ticks = 0;
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(entry.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).startsWith("postgres")) {
                        continue;
                    }
                    // fields after "pid (comm) ": state is field 3, utime 14, stime 15, cutime 16, cstime 17
                    String[] fields = stat.substring(close + 2).split(" ");
                    for (int field = 11; field <= 14; field++) {
                        ticks += Long.parseLong(fields[field]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while being read: its time is gone with it
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks;
    }
}
