package io.onramp.connect.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The archive's file names as README documents them, derived here on their own: {@code <connector>_<table>} with every
 * character but ASCII letters, digits, '_' and '-' written as '_' (at most 80), then '-' and the CRC-32 (8 hex
 * digits) of {@code <connector>\n<table>} in UTF-8.
 */
final class SnapshotArchiveFiles {

    private SnapshotArchiveFiles() {
    }

    static Path pointer(Path archive, String connector, String table) {
        String readable = (connector + "_" + table).replaceAll("[^A-Za-z0-9_-]", "_");
        var crc = new CRC32();
        crc.update((connector + "\n" + table).getBytes(StandardCharsets.UTF_8));
        String name = readable.substring(0, Math.min(80, readable.length())) + "-" + String.format("%08x", crc.getValue());
        return archive.resolve(name + ".snapshot.properties");
    }
}
