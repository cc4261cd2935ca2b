package io.onramp.connect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reading what the worker's JsonConverter wrote: {"schema": ..., "payload": ...}. */
public final class Records {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Records() {
    }

    public static JsonNode value(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode payload(ConsumerRecord<byte[], byte[]> record) {
        return value(record).path("payload");
    }

    /** The schema of one field of the value, e.g. {"type": "int64", "optional": false, "field": "id"}. */
    public static JsonNode fieldSchema(ConsumerRecord<byte[], byte[]> record, String field) {
        for (JsonNode node : value(record).path("schema").path("fields")) {
            if (field.equals(node.path("field").asText())) {
                return node;
            }
        }
        throw new AssertionError("value schema has no field " + field + ": " + value(record).path("schema"));
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
