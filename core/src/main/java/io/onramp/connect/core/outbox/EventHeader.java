package io.onramp.connect.core.outbox;

import org.apache.kafka.connect.data.Schema;

/**
 * A header of a routed event.
 *
 * @param schema the value's Connect schema, or null when the row was schemaless (the header converter then
 *               serializes the plain value)
 */
public record EventHeader(String name, Schema schema, Object value) {
}
