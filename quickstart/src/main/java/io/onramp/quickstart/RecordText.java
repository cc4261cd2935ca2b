package io.onramp.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * A record value as one line of JSON a person can read: dates as {@code 1815-12-10}, timestamps as ISO-8601 UTC
 * instants, times as {@code 09:30:00}, decimals with their scale ({@code 1250.00}), taken from the value's schema.
 */
final class RecordText {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordText() {
    }

    static String of(Schema schema, Object value) {
        try {
            return JSON.writeValueAsString(node(schema, value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    static JsonNode node(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        String logical = schema == null ? null : schema.name();
        if (Date.LOGICAL_NAME.equals(logical)) {
            return NODES.textNode(((java.util.Date) value).toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return NODES.textNode(((java.util.Date) value).toInstant().toString());
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return NODES.textNode(((java.util.Date) value).toInstant().atOffset(ZoneOffset.UTC).toLocalTime().toString());
        }
        if (Decimal.LOGICAL_NAME.equals(logical) || value instanceof BigDecimal) {
            return NODES.numberNode((BigDecimal) value);
        }
        if (value instanceof Struct struct) {
            ObjectNode object = NODES.objectNode();
            for (Field field : struct.schema().fields()) {
                object.set(field.name(), node(field.schema(), struct.get(field)));
            }
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(element -> array.add(node(schema == null ? null : schema.valueSchema(), element)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), node(schema == null ? null : schema.valueSchema(), v)));
            return object;
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        return JSON.valueToTree(value);
    }
}
