package io.onramp.connect.sink.snapshot.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the store has made durable, and the only thing a restart trusts: the generation (which snapshot run
 * and which change log are current), how many bytes and rows of that log are good, the next offset of each
 * partition whose changes are all in it, the columns seen so far, and when the last export ran.
 *
 * <p>Written to a temp file, fsynced, renamed over the old one and the directory fsynced, so a crash leaves the
 * old checkpoint or the new one. Anything the log holds past {@code logBytes} is not covered and is cut off on
 * open; its records are delivered again from {@code nextOffsets}.
 *
 * @param generation    the number of the current snapshot run and change log
 * @param logBytes      valid length of the change log
 * @param logRows       change rows in those bytes
 * @param nextOffsets   partition to the next offset not yet in the store
 * @param columns       column names in the order first seen
 * @param lastExport    scheduled time of the last completed export (ISO-8601), or null
 * @param snapshotRows  rows of the current snapshot run
 */
public record StoreCheckpoint(long generation, long logBytes, long logRows, SortedMap<Integer, Long> nextOffsets,
                              List<String> columns, String lastExport, long snapshotRows) {

    static final String FILE = "checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public StoreCheckpoint {
        nextOffsets = new TreeMap<>(nextOffsets);
        columns = List.copyOf(columns);
    }

    static StoreCheckpoint empty() {
        return new StoreCheckpoint(0, 0, 0, new TreeMap<>(), List.of(), null, 0);
    }

    static StoreCheckpoint read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), StoreCheckpoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Export state checkpoint " + file + " cannot be read", e);
        }
    }

    void write(Path dir) {
        Path file = dir.resolve(FILE);
        Path temp = dir.resolve(FILE + ".tmp");
        try {
            try (var channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(this)));
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write export state checkpoint " + file, e);
        }
    }

    /** Makes a rename in {@code dir} durable (Linux needs the directory fsynced; elsewhere it may be refused). */
    static void syncDirectory(Path dir) {
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename is as durable as they make it.
        }
    }
}
