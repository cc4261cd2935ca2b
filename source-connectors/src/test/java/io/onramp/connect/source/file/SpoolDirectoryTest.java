package io.onramp.connect.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolDirectoryTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void takesAFileOnlyAfterItWasSeenUnchangedAndOldEnough() throws IOException {
        var spool = spool("", 5_000, 0, 1);
        touch("a.csv", "x", NOW.minusSeconds(10));

        assertThat(spool.readyFiles(Set.of())).as("first look: size not yet known to be stable").isEmpty();
        assertThat(spool.readyFiles(Set.of())).extracting(SpoolDirectory.InputFile::name).containsExactly("a.csv");
    }

    @Test
    void doesNotTakeAFileModifiedWithinTheMinimumAge() throws IOException {
        var spool = spool("", 5_000, 0, 1);
        touch("a.csv", "x", NOW.minusSeconds(2));

        spool.readyFiles(Set.of());
        assertThat(spool.readyFiles(Set.of())).isEmpty();
    }

    @Test
    void doesNotTakeAFileThatGrewBetweenLooks() throws IOException {
        var spool = spool("", 0, 0, 1);
        touch("a.csv", "x", NOW.minusSeconds(10));
        spool.readyFiles(Set.of());
        touch("a.csv", "xy", NOW.minusSeconds(10));

        assertThat(spool.readyFiles(Set.of())).isEmpty();
    }

    @Test
    void withAMarkerSuffixTakesAFileOnlyOnceItsMarkerExists() throws IOException {
        var spool = spool(".done", 60_000, 0, 1);
        touch("a.csv", "x", NOW);

        assertThat(spool.readyFiles(Set.of())).isEmpty();
        touch("a.csv.done", "", NOW);
        assertThat(spool.readyFiles(Set.of())).extracting(SpoolDirectory.InputFile::name).containsExactly("a.csv");
    }

    @Test
    void ignoresFilesThatDoNotMatchThePatternOrAreBusy() throws IOException {
        var spool = spool("", 0, 0, 1);
        touch("a.csv", "x", NOW.minusSeconds(10));
        touch("b.csv", "x", NOW.minusSeconds(10));
        touch("c.txt", "x", NOW.minusSeconds(10));
        spool.readyFiles(Set.of());

        assertThat(spool.readyFiles(Set.of("a.csv"))).extracting(SpoolDirectory.InputFile::name).containsExactly("b.csv");
    }

    @Test
    void sharesFilesOutOverTasksWithoutOverlap() throws IOException {
        for (int i = 0; i < 20; i++) {
            touch("f" + i + ".csv", "x", NOW.minusSeconds(10));
        }
        var first = spool("", 0, 0, 2);
        var second = spool("", 0, 1, 2);
        first.readyFiles(Set.of());
        second.readyFiles(Set.of());

        var mine = first.readyFiles(Set.of());
        var theirs = second.readyFiles(Set.of());

        assertThat(mine).isNotEmpty();
        assertThat(theirs).isNotEmpty();
        assertThat(mine.size() + theirs.size()).isEqualTo(20);
        assertThat(mine).doesNotContainAnyElementsOf(theirs);
    }

    private SpoolDirectory spool(String marker, long minAgeMs, int task, int tasks) {
        return new SpoolDirectory(dir, Pattern.compile(".*\\.csv"), marker, minAgeMs, task, tasks,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void touch(String name, String content, Instant modified) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }
}
