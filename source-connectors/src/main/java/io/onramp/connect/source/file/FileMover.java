package io.onramp.connect.source.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;

/** Moves a file out of the input directory when it is done, or into the error directory with its reason. */
public final class FileMover {

    private final Path finishedDirectory;
    private final Path errorDirectory;
    private final Clock clock;
    private final FileSourceMetrics metrics;
    private volatile boolean fenced;

    FileMover(Path finishedDirectory, Path errorDirectory, Clock clock, FileSourceMetrics metrics) {
        this.finishedDirectory = finishedDirectory;
        this.errorDirectory = errorDirectory;
        this.clock = clock;
        this.metrics = metrics;
    }

    public Path finished(Path file, Path marker) {
        checkNotFenced(file);
        Path target = move(file, finishedDirectory);
        moveIfPresent(marker, finishedDirectory);
        metrics.filesFinished.increment();
        return target;
    }

    /** Moves the file to the error directory and writes {@code <name>.error.txt} next to it. */
    public Path failed(Path file, Path marker, String reason) {
        checkNotFenced(file);
        Path target = move(file, errorDirectory);
        moveIfPresent(marker, errorDirectory);
        metrics.filesRejected.increment();
        Path reasonFile = target.resolveSibling(target.getFileName() + ".error.txt");
        String text = "file: " + file.getFileName() + "\nfailed at: " + Instant.now(clock) + "\nreason: " + reason + "\n";
        // Written aside and renamed: whoever watches the error directory sees the reason whole or not at all.
        Path partial = reasonFile.resolveSibling("." + reasonFile.getFileName() + ".partial");
        try {
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            try {
                Files.move(partial, reasonFile, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, reasonFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + reasonFile, e);
        }
        return target;
    }

    /**
     * Refuses every move from now on: the task has stopped while work of its own may still be running, and the
     * files are the next task instance's to move.
     */
    void fence() {
        fenced = true;
    }

    private void checkNotFenced(Path file) {
        if (fenced) {
            throw new IllegalStateException("not moving " + file.getFileName() + ": the task has stopped");
        }
    }

    private void moveIfPresent(Path file, Path directory) {
        if (file != null && Files.exists(file)) {
            move(file, directory);
        }
    }

    /** Never overwrites: a second file of the same name gets a timestamp suffix. */
    private Path move(Path file, Path directory) {
        Path target = directory.resolve(file.getFileName());
        if (Files.exists(target)) {
            target = directory.resolve(file.getFileName() + "." + clock.millis());
        }
        try {
            try {
                return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                return Files.move(file, target); // across file systems: copy then delete
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + file + " to " + directory, e);
        }
    }
}
