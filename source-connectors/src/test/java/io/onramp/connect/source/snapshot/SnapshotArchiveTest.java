package io.onramp.connect.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotArchiveTest {

    @TempDir
    Path dir;

    @Test
    void hasNoCurrentSnapshotBeforeTheFirst() {
        assertThat(new SnapshotArchive(dir, "t").current()).isNull();
    }

    @Test
    void promotingASnapshotMakesItCurrentAndDeletesTheRunItReplaces() throws IOException {
        var archive = new SnapshotArchive(dir, "t");
        Path first = Files.writeString(archive.runOf("d1.csv"), "run1");
        archive.promote("d1.csv", 10, 1, "k1", first);
        Path second = Files.writeString(archive.runOf("d2.csv"), "run2");

        archive.promote("d2.csv", 10, 1, "k2", second);

        var current = new SnapshotArchive(dir, "t").current();
        assertThat(current.snapshotFile()).isEqualTo("d2.csv");
        assertThat(current.orderKey()).isEqualTo("k2");
        assertThat(current.run()).isEqualTo(second);
        assertThat(first).doesNotExist();
        assertThat(dir.resolve("t.snapshot.properties.partial")).doesNotExist();
    }

    @Test
    void tablesDoNotShareState() throws IOException {
        var customers = new SnapshotArchive(dir, "customers");
        customers.promote("d1.csv", 10, 1, "k1", Files.writeString(customers.runOf("d1.csv"), "x"));

        assertThat(new SnapshotArchive(dir, "orders").current()).isNull();
    }
}
