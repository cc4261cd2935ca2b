package io.onramp.connect.source.outbox;

import java.util.Map;

/**
 * One outbox row read in commit order: where it stands in the delivery order, and its columns by name as plain
 * Java values (see {@link RowValues}), in the table's column order.
 */
record OutboxEvent(OutboxPosition position, Map<String, Object> columns) {
}
