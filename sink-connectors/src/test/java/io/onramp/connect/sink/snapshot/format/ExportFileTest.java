package io.onramp.connect.sink.snapshot.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportFileTest {

    @TempDir
    Path dir;

    @Test
    void theTargetAppearsOnlyOnPublishWithTheSha256OfItsBytes() throws Exception {
        Files.writeString(dir.resolve("out.csv"), "old");
        try (var file = ExportFile.create(dir, "out.csv", "conn")) {
            file.stream().write("abc".getBytes(StandardCharsets.US_ASCII));
            file.stream().flush();
            assertThat(Files.readString(dir.resolve("out.csv"))).isEqualTo("old");
            var published = file.publish();
            // SHA-256("abc") from FIPS 180-2, appendix B.1
            assertThat(published.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            assertThat(published.bytes()).isEqualTo(3);
        }
        assertThat(Files.readString(dir.resolve("out.csv"))).isEqualTo("abc");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("out.csv");
        }
    }

    @Test
    void closingWithoutPublishLeavesNoTraceAndTheOldFileInPlace() throws Exception {
        Files.writeString(dir.resolve("out.csv"), "old");
        try (var file = ExportFile.create(dir, "out.csv", "conn")) {
            file.stream().write(new byte[100_000]);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("out.csv");
        }
        assertThat(Files.readString(dir.resolve("out.csv"))).isEqualTo("old");
    }

    @Test
    void aWriterKilledMidFileLeavesAPartialThatOnlyItsOwnerRemoves() throws Exception {
        var killed = ExportFile.create(dir, "a.csv", "conn");
        killed.stream().write(new byte[1000]);
        killed.stream().flush(); // the process dies here: no close, no publish
        var otherConnector = ExportFile.create(dir, "a.csv", "conn2");
        otherConnector.stream().write(new byte[10]);
        otherConnector.stream().flush();
        Files.writeString(dir.resolve("a.csv"), "published");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("a.csv", ".a.csv~conn.partial", ".a.csv~conn2.partial");
        }

        assertThat(ExportFile.removeLeftovers(dir, "conn")).isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.csv", ".a.csv~conn2.partial");
        }
        assertThat(ExportFile.removeLeftovers(dir, "conn")).isZero();
        // the other connector's file in progress was left alone and still publishes
        assertThat(otherConnector.publish().bytes()).isEqualTo(10);
        killed.close();
    }

    @Test
    void anOwnerThatCouldEndAnothersSuffixIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExportFile.removeLeftovers(dir, "a~b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a~b");
    }
}
