package io.onramp.connect.source.jdbc;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.JsonTyping;
import io.onramp.connect.core.contract.Violation;
import io.onramp.connect.core.jdbc.ColumnMapping;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * JSON columns typed by the configured contract: the contract describes a row, and a text column (PostgreSQL
 * json/jsonb, MariaDB JSON, which is LONGTEXT) whose contract field is a record becomes a Struct of that record,
 * parsed and checked by {@link JsonTyping}. A value that is not JSON or breaks the contract stops the task with an
 * error naming the table, column, field and rule, never the value, before its offset is committed.
 */
final class JsonColumns {

    private static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Contract contract;
    private final Map<String, Optional<JsonTyping>> typings = new HashMap<>();

    JsonColumns(Contract contract) {
        this.contract = contract;
    }

    /** {@code mapping} typed by the contract when it is a text column whose contract field is a record; else itself. */
    ColumnMapping apply(ColumnMapping mapping, String target) {
        if (mapping.schema().type() != Schema.Type.STRING) {
            return mapping;
        }
        String column = mapping.column().name();
        JsonTyping typing = typings.computeIfAbsent(column, c -> JsonTyping.ofField(contract, c)).orElse(null);
        if (typing == null) {
            return mapping;
        }
        return new ColumnMapping(mapping.column(), typing.schema(),
                (rs, index) -> type(typing, mapping.read(rs, index), target, column));
    }

    /**
     * Why the contract cannot type a column of {@code what} (a column whose contract field is a record but which is
     * not text), for validate(); null when every such column can be typed.
     */
    String problem(List<ColumnMapping> mappings, String what) {
        for (ColumnMapping mapping : mappings) {
            String column = mapping.column().name();
            if (mapping.schema().type() != Schema.Type.STRING
                    && typings.computeIfAbsent(column, c -> JsonTyping.ofField(contract, c)).isPresent()) {
                return "Field '" + column + "' of contract " + contract + " is a record, but column '" + column + "' of " + what
                        + " is " + mapping.column().typeName() + ": only a JSON or text column can be typed by a record field";
            }
        }
        return null;
    }

    private Object type(JsonTyping typing, Object raw, String target, String column) {
        JsonNode json = null;
        if (raw != null) {
            try {
                json = EXACT.readTree(raw.toString());
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                throw new DataException(target + ", column '" + column + "': the value is not valid JSON"
                        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                        + ", so it cannot be typed by contract " + contract + ".");
            }
        }
        JsonTyping.Result result = typing.type(json);
        Violation v = result.violation();
        if (v != null) {
            throw new DataException(target + ", column '" + column + "': field '" + v.field() + "' breaks rule '" + v.rule()
                    + "' of contract " + contract + ": " + v.reason());
        }
        return result.value();
    }
}
