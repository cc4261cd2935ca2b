package io.onramp.connect.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.core.offsets.OffsetMaps;
import io.onramp.connect.source.file.snapshot.SnapshotMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

/**
 * A worker finds a committed offset by the bytes its converter makes of {@code [connector, partition]}; these
 * bytes must not depend on the JVM or on the order a map was built in, or a restarted worker reads a file again.
 */
class FileOffsetsTest {

    private static final SpoolDirectory.InputFile FILE =
            new SpoolDirectory.InputFile(Paths.get("/spool/events.csv"), 42L, 1_700_000_000_000L);

    @Test
    void appendPartitionSerializesToFixedBytes() {
        // Written by hand: keys in alphabetical order, as JSON has them when the map's order does not leak in.
        assertThat(offsetKey("files", FileOffsets.partition(FILE)))
                .isEqualTo("[\"files\",{\"file\":\"events.csv\",\"modified\":1700000000000,\"size\":42}]");
    }

    @Test
    void partitionsAndOffsetsBuiltInEveryOrderSerializeToTheSameBytes() {
        List<Map<String, Object>> maps = List.of(
                FileOffsets.partition(FILE), FileOffsets.offset(17),
                OffsetMaps.of(SnapshotMode.SNAPSHOT, "customers-20240101.csv", SnapshotMode.EVENT, 5L, SnapshotMode.LAST, false));
        for (Map<String, Object> built : maps) {
            String expected = offsetKey("files", built);
            for (Map<String, Object> order : OffsetMaps.allOrders(built)) {
                // A map built in another order (as Map.of would iterate in another JVM), made ordered again.
                var hashed = new HashMap<String, Object>(order);
                assertThat(offsetKey("files", OffsetMaps.ordered(order))).isEqualTo(expected);
                assertThat(offsetKey("files", OffsetMaps.ordered(hashed))).isEqualTo(expected);
            }
            assertThat(List.copyOf(built.keySet())).as("what the task builds is already ordered").isSorted();
        }
    }

    @Test
    void findsAnOffsetCommittedUnderAnotherOrderOfTheSamePartition() {
        var legacy = new LinkedHashMap<String, Object>(); // e.g. what Map.of iterated as in the killed JVM
        legacy.put(FileOffsets.SIZE, 42L);
        legacy.put(FileOffsets.FILE, "events.csv");
        legacy.put(FileOffsets.MODIFIED, 1_700_000_000_000L);
        var store = new ByteKeyedOffsets();
        store.commit(legacy, Map.of(FileOffsets.POSITION, 100_000L));

        var found = FileOffsets.committedOffset(store, FileOffsets.partition(FILE));

        assertThat(FileOffsets.committedPosition(found)).isEqualTo(100_000L);
        assertThat(FileOffsets.committedOffset(store, FileOffsets.partition(
                new SpoolDirectory.InputFile(Paths.get("/spool/other.csv"), 42L, 1L)))).isNull();
    }

    private static String offsetKey(String connector, Map<String, Object> partition) {
        return new String(converter().fromConnectData(connector, null, List.of(connector, partition)), StandardCharsets.UTF_8);
    }

    /** Connect's internal offset converter: JSON without schemas. */
    private static JsonConverter converter() {
        var converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), true);
        return converter;
    }

    /** Offsets looked up the way Connect looks them up: by the serialized partition's bytes. */
    private static final class ByteKeyedOffsets implements OffsetStorageReader {
        private final Map<ByteBuffer, Map<String, Object>> committed = new HashMap<>();

        void commit(Map<String, Object> partition, Map<String, Object> offset) {
            committed.put(key(partition), offset);
        }

        private static ByteBuffer key(Map<String, ?> partition) {
            return ByteBuffer.wrap(offsetKey("files", new LinkedHashMap<String, Object>(partition)).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public <T> Map<String, Object> offset(Map<String, T> partition) {
            return committed.get(key(partition));
        }

        @Override
        public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
            var result = new HashMap<Map<String, T>, Map<String, Object>>();
            new ArrayList<>(partitions).forEach(partition -> result.put(partition, offset(partition)));
            return result;
        }
    }
}
