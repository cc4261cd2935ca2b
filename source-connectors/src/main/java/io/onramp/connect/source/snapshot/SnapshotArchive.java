package io.onramp.connect.source.snapshot;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The last applied snapshot of one table, kept sorted in the archive directory, so that any worker can diff the
 * next snapshot (a dump file, or a run over a database table) against it. A small pointer file names the current sorted run; it is
 * replaced atomically and durably (written aside, fsynced, renamed, the directory fsynced), and only once the
 * snapshot's change events are committed to Kafka.
 *
 * <p>Every file of an archive starts with its name ({@link #nameOf}: connector and table), so that connectors and
 * tables can share the directory without ever reading or removing each other's state.
 */
public final class SnapshotArchive {

    private static final String POINTER_SUFFIX = ".snapshot.properties";

    /**
     * A file written for one dump, after the archive's name and a dot: the dump's name, then exactly what
     * {@link #runOf} adds ({@code .run}), or what is named after the run: its partial while it is written
     * ({@code SortedRunFile}: a number and {@code .partial}), a spill ({@link #spillPrefixOf}, a number, {@code .run})
     * or the events waiting to be published ({@link #eventsOf}, and those of a diff's upper half: a number before
     * {@code .partial}). Read from the end of the name, since the dump's own
     * name may hold {@code .run} ({@code daily.run.2024.csv}); group 1 is the dump.
     */
    private static final Pattern DUMP_FILE =
            Pattern.compile("(.+?)\\.run(?:\\d+\\.partial|\\.spill-\\d+\\.run|\\.events(?:\\.\\d+)?\\.partial)?");

    private final Path directory;
    private final String table;

    /** @param table the archive's name in the directory: {@link #nameOf} of the connector and table */
    public SnapshotArchive(Path directory, String table) {
        this.directory = directory;
        this.table = table;
    }

    /**
     * The archive name of {@code table} read by {@code connectorName}: both, as characters every file system takes,
     * with a hash of the exact names, so that two connectors or tables whose names differ only in such characters
     * never share a file. No '.' in it, so one archive's file names never start with another's name and a dot.
     */
    public static String nameOf(String connectorName, String table) {
        String readable = (connectorName + "_" + table).replaceAll("[^A-Za-z0-9_-]", "_");
        if (readable.length() > 80) {
            readable = readable.substring(0, 80);
        }
        var crc = new CRC32();
        crc.update((connectorName + "\n" + table).getBytes(StandardCharsets.UTF_8));
        return readable + "-" + String.format("%08x", crc.getValue());
    }

    /**
     * Takes over the archive that versions up to 0.1.0 kept under {@code legacyName} (the table alone), when this
     * archive has none yet: an upgraded connector then diffs its next snapshot against the state it applied last,
     * instead of emitting every row again. The takeover is one atomic rename of the old pointer to this archive's
     * (naming the same run file): of several connectors of the table starting at once exactly one gets it, and the
     * others find no old pointer and start afresh. A crash leaves either the old pointer or this one, never both.
     *
     * <p>A takeover by the version before this one copied the pointer, then removed the old one; a crash in between
     * left both naming the same run. The old one is then removed here; should another connector have copied or
     * taken it over meanwhile, its pointer keeps that run alive ({@link #promote} deletes no run a pointer names).
     *
     * @return whether this archive took over the legacy one
     */
    public boolean adopt(String legacyName) {
        Path legacy = directory.resolve(legacyName + POINTER_SUFFIX);
        if (legacyName.equals(table) || !Files.exists(legacy)) {
            return false;
        }
        try {
            Applied own = current();
            if (own != null) {
                if (namesRun(legacy, own.run())) {
                    Files.deleteIfExists(legacy); // the copy-then-remove takeover of the version before stopped halfway
                    syncDirectory();
                }
                return false;
            }
            // No REPLACE_EXISTING: this archive's pointer does not exist, and only this connector writes it.
            Files.move(legacy, pointerFile(), StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
            return true;
        } catch (NoSuchFileException e) {
            return false; // another connector of the table took it over first: this one starts afresh
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take over the snapshot archive " + legacy, e);
        }
    }

    /** The snapshot applied last, or null before the first one. */
    public Applied current() {
        Path pointer = pointerFile();
        if (!Files.exists(pointer)) {
            return null;
        }
        return read(pointer);
    }

    /**
     * The snapshot {@code pointer} names. A pointer that cannot be read whole is an error that says what to do: the
     * task must not guess which snapshot was applied (a wrong guess emits false deletes).
     */
    private Applied read(Path pointer) {
        var props = new Properties();
        try (Reader in = Files.newBufferedReader(pointer, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw broken(pointer, "it cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        for (String key : new String[] {"snapshot", "order", "run"}) {
            if (props.getProperty(key, "").isEmpty()) {
                throw broken(pointer, Files.isRegularFile(pointer) && props.isEmpty() ? "it is empty" : "it lacks '" + key + "'");
            }
        }
        try {
            return new Applied(props.getProperty("snapshot"), props.getProperty("order"), directory.resolve(props.getProperty("run")),
                    Long.parseLong(props.getProperty("size", "-1")), Long.parseLong(props.getProperty("modified", "-1")));
        } catch (NumberFormatException e) {
            throw broken(pointer, "its 'size' or 'modified' is not a number");
        }
    }

    private static ConnectException broken(Path pointer, String what) {
        return new ConnectException("The snapshot archive's pointer file " + pointer + " is broken: " + what + ". A crash "
                + "while it was written (power loss) can leave it so. It names the snapshot applied last, which the "
                + "next one is diffed against, so the task stops rather than guess. Restore the file from a backup, or "
                + "delete it: the next snapshot is then emitted in full as reads (op 'r', no deletes).");
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
                if (name.endsWith(POINTER_SUFFIX)) {
                    // This archive's own pointer read strictly: nothing is removed while it cannot be trusted.
                    kept.add(name.equals(table + POINTER_SUFFIX) ? read(file).run() : directory.resolve(pointedRun(file)));
                    continue;
                }
                if (name.startsWith(prefix)) {
                    Matcher dumpFile = DUMP_FILE.matcher(name.substring(prefix.length()));
                    if (dumpFile.matches() && isDump.test(dumpFile.group(1))) {
                        candidates.add(file);
                    }
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

    /** Whether {@code pointer} names {@code run}; one that cannot be parsed names none. */
    private boolean namesRun(Path pointer, Path run) throws IOException {
        try {
            return run.equals(directory.resolve(pointedRun(pointer)));
        } catch (IllegalArgumentException e) {
            return false;
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

    /**
     * A new, empty file for more of the events of the snapshot sorted into {@code run} (those of a diff's second key
     * range): named as {@link #eventsOf} with a number before {@code .partial}, so {@link #removeLeftovers} finds it.
     */
    public static Path newEventsOf(Path run) throws java.io.IOException {
        return Files.createTempFile(run.toAbsolutePath().getParent(), run.getFileName() + ".events.", ".partial");
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
        try {
            writePointer(snapshotFile, orderKey, run, size, modifiedMs);
            if (previous != null && !previous.run().equals(run) && !namedByAnotherPointer(previous.run())) {
                Files.deleteIfExists(previous.run());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record snapshot " + snapshotFile + " in " + directory, e);
        }
    }

    /**
     * Whether a pointer other than this archive's names {@code run}: an archive of 0.1.0 taken over twice (by two
     * connectors, before the takeover was one rename) leaves two pointers naming one run, and the first to move on
     * must not delete the other's state. Called after this archive's pointer was replaced, so that of two such
     * connectors promoting at once the second sees the first's new pointer and deletes the run. A pointer that
     * cannot be read counts as naming it: a run file left over is harmless, a deleted one is not.
     */
    private boolean namedByAnotherPointer(Path run) throws IOException {
        String own = table + POINTER_SUFFIX;
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(POINTER_SUFFIX) || name.equals(own)) {
                    continue;
                }
                try {
                    String named = pointedRun(file);
                    if (named.isEmpty() || directory.resolve(named).equals(run)) {
                        return true;
                    }
                } catch (IOException | IllegalArgumentException e) {
                    return true; // also one renamed away meanwhile (a takeover): its new name may not be listed
                }
            }
        }
        return false;
    }

    /**
     * Replaces the pointer durably: written aside and fsynced, renamed over the old one, then the directory fsynced
     * so that the rename (and the run file's own, in the same directory) survives a power loss. Without the first
     * sync the rename can reach the disk before the content, leaving an empty pointer.
     */
    private void writePointer(String snapshotFile, String orderKey, Path run, long size, long modifiedMs) throws IOException {
        var props = new Properties();
        props.setProperty("snapshot", snapshotFile);
        props.setProperty("order", orderKey);
        props.setProperty("run", run.getFileName().toString());
        props.setProperty("size", Long.toString(size));
        props.setProperty("modified", Long.toString(modifiedMs));
        Path pointer = pointerFile();
        Path partial = pointer.resolveSibling(pointer.getFileName() + ".partial");
        try (var file = new FileOutputStream(partial.toFile()); Writer out = new OutputStreamWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "Onramp: the last snapshot of table " + table + " applied to Kafka");
            out.flush();
            file.getFD().sync();
        }
        try {
            Files.move(partial, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, pointer, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
    }

    /** Makes the directory's entries (renames, deletions) durable; Windows cannot open a directory to sync it. */
    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                throw e;
            }
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
        return directory.resolve(table + POINTER_SUFFIX);
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
