package io.onramp.connect.source.file;

import java.util.Map;

/**
 * How the file source keys its progress: the source partition is the file (name, size, modification time,
 * so a new file under an old name starts afresh) and the offset is the position of the last record sent.
 */
final class FileOffsets {

    static final String FILE = "file";
    static final String SIZE = "size";
    static final String MODIFIED = "modified";
    static final String POSITION = "position";

    private FileOffsets() {
    }

    static Map<String, Object> partition(SpoolDirectory.InputFile file) {
        return Map.of(FILE, file.name(), SIZE, file.size(), MODIFIED, file.modifiedMs());
    }

    static Map<String, Object> offset(long position) {
        return Map.of(POSITION, position);
    }

    /** The position to resume after, or 0 when nothing of the file was committed. */
    static long committedPosition(Map<String, Object> offset) {
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
