package io.onramp.connect.source.file;

import io.onramp.connect.core.offsets.OffsetMaps;
import io.onramp.connect.source.file.snapshot.SnapshotMode;
import java.util.Map;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * How the file source keys its progress: the source partition is the file (name, size, modification time,
 * so a new file under an old name starts afresh) and the offset is the position of the last record sent. Both
 * maps are key-ordered ({@link OffsetMaps}), so every worker JVM serializes them to the same bytes and finds the
 * offset a killed worker committed.
 */
public final class FileOffsets {

    public static final String FILE = "file";
    static final String SIZE = "size";
    static final String MODIFIED = "modified";
    public static final String POSITION = "position";

    private FileOffsets() {
    }

    public static Map<String, Object> partition(SpoolDirectory.InputFile file) {
        return OffsetMaps.of(FILE, file.name(), SIZE, file.size(), MODIFIED, file.modifiedMs());
    }

    static Map<String, Object> offset(long position) {
        return OffsetMaps.of(POSITION, position);
    }

    /**
     * The committed offset of a file's partition, or null. Versions up to 0.1.0 built the partition with
     * {@code Map.of}, whose order differs per JVM: when the ordered form has no offset, every other order of the
     * same entries is tried, so a file half-read before an upgrade is resumed rather than read again.
     */
    public static Map<String, Object> committedOffset(OffsetStorageReader reader, Map<String, Object> partition) {
        Map<String, Object> offset = reader.offset(partition);
        if (offset != null) {
            return offset;
        }
        // One lookup per order: the orders are equal() as maps, so a batched offsets(...) would merge them.
        for (Map<String, Object> order : OffsetMaps.allOrders(partition)) {
            Map<String, Object> found = reader.offset(order);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The position to resume after, or 0 when nothing of the file was committed. */
    public static long committedPosition(Map<String, Object> offset) {
        if (offset == null || !(offset.get(POSITION) instanceof Number position)) {
            return 0;
        }
        return position.longValue();
    }

    /** Why an offset given to alterOffsets is not one this connector wrote, or null when it is fine. */
    static String problem(Map<String, ?> partition, Map<String, ?> offset) {
        if (partition.get(SnapshotMode.TABLE) instanceof String) {
            if (offset == null) {
                return null;
            }
            return offset.get(SnapshotMode.SNAPSHOT) instanceof String && offset.get(SnapshotMode.EVENT) instanceof Number
                    ? null : "a snapshot offset needs a string '" + SnapshotMode.SNAPSHOT + "' and a number '" + SnapshotMode.EVENT + "'";
        }
        if (!(partition.get(FILE) instanceof String)) {
            return "a source partition needs a string '" + FILE + "' (append mode) or '" + SnapshotMode.TABLE + "' (snapshot mode)";
        }
        if (offset == null) {
            return null; // resetting an offset is always allowed
        }
        if (!(offset.get(POSITION) instanceof Number position) || position.longValue() < 0) {
            return "an offset needs a non-negative number '" + POSITION + "'";
        }
        return null;
    }
}
