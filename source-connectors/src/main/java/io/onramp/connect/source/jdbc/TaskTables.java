package io.onramp.connect.source.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * How the connector hands a task its share of tables: a JSON array of entries (kind, a tab, the table's config text),
 * so that a table name holding a line break or a tab, which a quoted identifier may, survives the trip intact.
 */
final class TaskTables {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskTables() {
    }

    static String encode(List<String> entries) {
        try {
            return JSON.writeValueAsString(entries);
        } catch (JsonProcessingException e) {
            throw new ConnectException("Cannot write the task's table list", e);
        }
    }

    static List<String> decode(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        if (!text.startsWith("[")) {
            // A task config written by an earlier version (one entry per line) until the connector writes new ones.
            return text.lines().filter(line -> !line.isBlank()).toList();
        }
        try {
            return JSON.readValue(text, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new ConnectException("The task config's table list is not the JSON array the connector writes", e);
        }
    }
}
