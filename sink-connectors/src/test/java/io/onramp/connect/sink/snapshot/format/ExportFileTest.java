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
        try (var file = ExportFile.create(dir, "out.csv")) {
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
        try (var file = ExportFile.create(dir, "out.csv")) {
            file.stream().write(new byte[100_000]);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("out.csv");
        }
        assertThat(Files.readString(dir.resolve("out.csv"))).isEqualTo("old");
    }
}
