package io.onramp.connect.source.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The input directory as one task sees it: the files that match the pattern, belong to this task, and are
 * complete. A file is complete when its ready marker exists, or else when its size and modification time
 * were the same at two looks and it has not been modified for the minimum age.
 */
public final class SpoolDirectory {

    private final Path directory;
    private final Pattern pattern;
    private final String markerSuffix;
    private final long minAgeMs;
    private final int taskIndex;
    private final int taskCount;
    private final Clock clock;
    private final Map<String, Observation> lastSeen = new HashMap<>();

    SpoolDirectory(Path directory, Pattern pattern, String markerSuffix, long minAgeMs, int taskIndex, int taskCount,
            Clock clock) {
        this.directory = directory;
        this.pattern = pattern;
        this.markerSuffix = markerSuffix;
        this.minAgeMs = minAgeMs;
        this.taskIndex = taskIndex;
        this.taskCount = taskCount;
        this.clock = clock;
    }

    /** Complete files of this task, by name, leaving out those in {@code busy}. */
    public List<InputFile> readyFiles(Set<String> busy) {
        var ready = new ArrayList<InputFile>();
        var present = new HashMap<String, Observation>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path path : (Iterable<Path>) entries.sorted()::iterator) {
                String name = path.getFileName().toString();
                if (!pattern.matcher(name).matches() || !ownedByThisTask(name) || busy.contains(name)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue; // moved away between list and stat; gone is not an error
                }
                if (!attributes.isRegularFile()) {
                    continue;
                }
                var now = new Observation(attributes.size(), attributes.lastModifiedTime().toMillis());
                present.put(name, now);
                if (isComplete(path, name, now)) {
                    ready.add(new InputFile(path, now.size(), now.modifiedMs()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input directory " + directory, e);
        }
        lastSeen.clear();
        lastSeen.putAll(present);
        return ready;
    }

    private boolean isComplete(Path path, String name, Observation now) {
        if (!markerSuffix.isEmpty()) {
            return Files.exists(markerOf(path));
        }
        Observation before = lastSeen.get(name);
        return now.equals(before) && clock.millis() - now.modifiedMs() >= minAgeMs;
    }

    public Path markerOf(Path file) {
        return file.resolveSibling(file.getFileName() + markerSuffix);
    }

    public boolean usesMarkers() {
        return !markerSuffix.isEmpty();
    }

    /** Spreads files over tasks by name, so every task agrees on who owns a file without coordination. */
    private boolean ownedByThisTask(String name) {
        return Math.floorMod(name.hashCode(), taskCount) == taskIndex;
    }

    private record Observation(long size, long modifiedMs) {
    }

    /** A complete input file, identified by name, size and modification time. */
    public record InputFile(Path path, long size, long modifiedMs) {
        public String name() {
            return path.getFileName().toString();
        }
    }
}
