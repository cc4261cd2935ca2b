package io.onramp.connect.source.file;

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
 * The last applied snapshot of one table, kept sorted in the archive directory next to the input, so that
 * any worker can diff the next dump against it. A small pointer file names the current sorted run; it is
 * replaced atomically, and only once the snapshot's change events are committed to Kafka.
 */
final class SnapshotArchive {

    private final Path directory;
    private final String table;

    SnapshotArchive(Path directory, String table) {
        this.directory = directory;
        this.table = table;
    }

    /** The snapshot applied last, or null before the first one. */
    Applied current() {
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
        return new Applied(props.getProperty("snapshot"), props.getProperty("order"), directory.resolve(props.getProperty("run")));
    }

    /** Where the sorted run of a snapshot file is written while it is being published. */
    Path runOf(String snapshotFile) {
        return directory.resolve(table + "." + snapshotFile + ".run");
    }

    /** Makes {@code run} the current snapshot, then deletes the run it replaces. */
    void promote(String snapshotFile, String orderKey, Path run) {
        Applied previous = current();
        var props = new Properties();
        props.setProperty("snapshot", snapshotFile);
        props.setProperty("order", orderKey);
        props.setProperty("run", run.getFileName().toString());
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

    void discard(Path run) {
        try {
            Files.deleteIfExists(run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path pointerFile() {
        return directory.resolve(table + ".snapshot.properties");
    }

    /** A snapshot applied to Kafka: its file name, its place in the order, and its sorted rows. */
    record Applied(String snapshotFile, String orderKey, Path run) {
    }
}
