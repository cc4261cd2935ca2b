package io.onramp.connect.source.outbox;

import io.onramp.connect.core.jdbc.TableId;
import java.util.Map;
import java.util.TreeMap;

/** The outbox source's partition: the table, as configured. Offsets are {@link OutboxPosition}s. */
final class OutboxOffsets {

    static final String TABLE = "outbox.table";

    private OutboxOffsets() {
    }

    static Map<String, Object> partition(TableId table) {
        var partition = new TreeMap<String, Object>();
        partition.put(TABLE, table.toConfigText());
        return partition;
    }

    /** Why a partition/offset pair given to alterOffsets is not one this source writes, or null. */
    static String problem(Map<String, ?> partition, Map<String, ?> offset) {
        if (partition == null || !(partition.get(TABLE) instanceof String)) {
            return "a source partition needs a string '" + TABLE + "'";
        }
        return OutboxPosition.problem(offset);
    }
}
