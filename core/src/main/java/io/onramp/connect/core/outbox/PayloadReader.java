package io.onramp.connect.core.outbox;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.JsonTyping;
import io.onramp.connect.core.contract.Violation;
import io.onramp.connect.core.schema.JsonSchemaInference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns the payload column into the event's value: JSON text (a string, Debezium's {@code io.debezium.data.Json}
 * for jsonb/JSON columns, or UTF-8 bytes) parsed and typed by the aggregate's contract when there is one,
 * inferred by {@link JsonSchemaInference} otherwise; with neither a contract nor expansion the column passes
 * as it is. A payload that is not JSON, or breaks the contract, is a {@link Violation} (never passed on silently).
 */
final class PayloadReader {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final boolean expand;
    private final Function<String, Optional<Contract>> contracts;
    private final boolean perAggregate;
    private final Map<String, Optional<Typing>> typings = new HashMap<>();
    private final JsonSchemaInference inference = new JsonSchemaInference();
    private final String column;

    /**
     * @param contracts    the contract of an aggregate type (its argument), or null when no contract is configured
     * @param perAggregate whether the contract depends on the aggregate type (a contract directory without product)
     */
    PayloadReader(String column, boolean expand, Function<String, Optional<Contract>> contracts, boolean perAggregate) {
        this.column = column;
        this.expand = expand;
        this.contracts = contracts;
        this.perAggregate = perAggregate;
    }

    /** The result of reading a payload: a value and its schema, or a violation. */
    record Payload(Schema schema, Object value, Contract contract, Violation violation) {
    }

    private record Typing(Contract contract, JsonTyping json) {
    }

    boolean hasContracts() {
        return contracts != null;
    }

    /** The contract that types the payloads of {@code aggregate}, if any. */
    Contract contractFor(String aggregate) {
        Typing t = typing(aggregate);
        return t == null ? null : t.contract;
    }

    Payload read(Object raw, Schema rawSchema, String aggregate) {
        Typing typing = typing(aggregate);
        if (contracts != null && typing == null) {
            return new Payload(null, null, null, new Violation(column, "contract",
                    "No contract types the payloads of aggregate type '" + aggregate + "'."));
        }
        if (raw == null) {
            return new Payload(rawSchema == null ? Schema.OPTIONAL_STRING_SCHEMA : rawSchema, null,
                    typing == null ? null : typing.contract, null);
        }
        if (raw instanceof Struct || raw instanceof Map<?, ?>) {
            return typing == null ? new Payload(rawSchema, raw, null, null) : checked(typing, rawSchema, raw);
        }
        String text = text(raw);
        if (text == null && typing != null) {
            return checked(typing, rawSchema, raw);
        }
        if (text == null || (typing == null && !expand)) {
            return new Payload(rawSchema, raw, null, null);
        }
        JsonNode json;
        try {
            json = (typing == null ? PLAIN : EXACT).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return new Payload(null, null, null, new Violation(column, "json", "The payload in column '" + column
                    + "' is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + "."));
        }
        if (json == null || json.isMissingNode()) {
            return new Payload(null, null, null, new Violation(column, "json",
                    "The payload in column '" + column + "' is empty, not JSON."));
        }
        if (typing == null) {
            if (json.isNull()) {
                return new Payload(Schema.OPTIONAL_STRING_SCHEMA, null, null, null);
            }
            SchemaAndValue inferred = inference.infer(json);
            return new Payload(inferred.schema(), inferred.value(), null, null);
        }
        return typed(typing, json);
    }

    private Payload typed(Typing typing, JsonNode json) {
        JsonTyping.Result r = typing.json.type(json);
        return r.violation() == null ? new Payload(typing.json.schema(), r.value(), typing.contract, null)
                : new Payload(null, null, typing.contract, r.violation());
    }

    private Payload checked(Typing typing, Schema schema, Object value) {
        Violation v = typing.json.check(value);
        return v == null ? new Payload(schema, value, typing.contract, null) : new Payload(null, null, typing.contract, v);
    }

    private Typing typing(String aggregate) {
        if (contracts == null) {
            return null;
        }
        String key = perAggregate ? aggregate : "";
        Optional<Typing> t = typings.get(key);
        if (t == null) {
            t = contracts.apply(aggregate).map(c -> new Typing(c, JsonTyping.of(c)));
            typings.put(key, t);
        }
        return t.orElse(null);
    }

    /** The payload's JSON text, or null when the column is not text (left as it is). */
    static String text(Object raw) {
        if (raw instanceof String s) {
            return s;
        }
        if (raw instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (raw instanceof ByteBuffer buffer) {
            return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        }
        return null;
    }
}
