package io.onramp.connect.source.snapshot;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The last applied snapshot of one table, kept sorted in the archive directory, so that any worker can diff the
 * next snapshot (a dump file, or a run over a database table) against it. A small pointer file names the current sorted run; it is
 * replaced atomically, and only once the snapshot's change events are committed to Kafka.
 */
public final class SnapshotArchive {

    private final Path directory;
    private final String table;

    public SnapshotArchive(Path directory, String table) {
        this.directory = directory;
        this.table = table;
    }

    /** The snapshot applied last, or null before the first one. */
    public Applied current() {
        Path pointer = pointerFile();
        if (!Files.exists(pointer)) {
            return null;
        }
        var props = new Properties();
        try (Reader in = Files.newBufferedReader(pointer, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot pointer " + pointer, e);
        }
        return new Applied(props.getProperty("snapshot"), props.getProperty("order"), directory.resolve(props.getProperty("run")),
                Long.parseLong(props.getProperty("size", "-1")), Long.parseLong(props.getProperty("modified", "-1")));
    }

    /**
     * Removes what a killed attempt at this table left in the archive: run files being written
     * ({@code *.partial}), sort spills, and sorted runs of dumps that were never promoted. A task calls it on
     * start, before it sorts anything. Only files named for this table and a dump that {@code isDump} accepts
     * (the connector's input pattern) are touched, and never a run that any pointer in the directory names:
     * another table's archive may share the directory.
     */
    public void removeLeftovers(java.util.function.Predicate<String> isDump) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        String prefix = table + ".";
        try (var files = Files.list(directory)) {
            var kept = new java.util.HashSet<Path>();
            var candidates = new java.util.ArrayList<Path>();
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.equals(prefix + "snapshot.properties.partial")) {
                    candidates.add(file); // a pointer being replaced when the worker died
                    continue;
                }
                if (name.endsWith(".snapshot.properties")) {
                    kept.add(directory.resolve(pointedRun(file)));
                    continue;
                }
                int run = name.indexOf(".run", prefix.length());
                if (name.startsWith(prefix) && run > prefix.length() && isDump.test(name.substring(prefix.length(), run))
                        && (name.endsWith(".run") || name.endsWith(".partial"))) {
                    candidates.add(file);
                }
            }
            for (Path file : candidates) {
                if (!kept.contains(file)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up the snapshot archive " + directory, e);
        }
    }

    private static String pointedRun(Path pointer) throws IOException {
        var props = new Properties();
        try (Reader in = Files.newBufferedReader(pointer, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        return props.getProperty("run", "");
    }

    /** How the spill files of the sort into {@code run} start: after the run, so that they are the table's too. */
    public static String spillPrefixOf(Path run) {
        return run.getFileName() + ".spill-";
    }

    /**
     * Where the change events of the snapshot sorted into {@code run} wait while they are published: named after
     * the run and ending in {@code .partial}, so that {@link #removeLeftovers} removes what a killed task left.
     */
    public static Path eventsOf(Path run) {
        return run.resolveSibling(run.getFileName() + ".events.partial");
    }

    /** Where the sorted run of a snapshot file is written while it is being published. */
    public Path runOf(String snapshotFile) {
        return directory.resolve(table + "." + snapshotFile + ".run");
    }

    /**
     * Makes {@code run} the current snapshot, then deletes the run it replaces. The dump's size and modification
     * time are kept, so that a dump found again in the input after a crash can be recognized as this one.
     */
    public void promote(String snapshotFile, long size, long modifiedMs, String orderKey, Path run) {
        Applied previous = current();
        var props = new Properties();
        props.setProperty("snapshot", snapshotFile);
        props.setProperty("order", orderKey);
        props.setProperty("run", run.getFileName().toString());
        props.setProperty("size", Long.toString(size));
        props.setProperty("modified", Long.toString(modifiedMs));
        Path pointer = pointerFile();
        Path partial = pointer.resolveSibling(pointer.getFileName() + ".partial");
        try {
            try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                props.store(out, "Onramp: the last snapshot of table " + table + " applied to Kafka");
            }
            try {
                Files.move(partial, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, pointer, StandardCopyOption.REPLACE_EXISTING);
            }
            if (previous != null && !previous.run().equals(run)) {
                Files.deleteIfExists(previous.run());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record snapshot " + snapshotFile + " in " + directory, e);
        }
    }

    public void discard(Path run) {
        try {
            Files.deleteIfExists(run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path pointerFile() {
        return directory.resolve(table + ".snapshot.properties");
    }

    /**
     * A snapshot applied to Kafka: its file name, its place in the order, its sorted rows, and the dump file's
     * size and modification time (-1 when an older version promoted it).
     */
    public record Applied(String snapshotFile, String orderKey, Path run, long size, long modifiedMs) {

        /** Whether the input {@code name} of that size and modification time is the very one this was applied from. */
        public boolean isFrom(String name, long size, long modifiedMs) {
            return snapshotFile.equals(name) && (this.size < 0 || this.size == size)
                    && (this.modifiedMs < 0 || this.modifiedMs == modifiedMs);
        }
    }
}
