package io.onramp.connect.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.onramp.connect.core.schema.AvroSchemaMapper;
import io.onramp.connect.core.schema.JsonValueConverter;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Types parsed JSON by a contract record: converts it into a Struct of the record's Connect schema and checks the
 * contract's types and rules. Either the whole contract ({@link #of}) or one record-typed field of it
 * ({@link #ofField}, e.g. a JSON column of a row contract). A value that does not fit is a {@link Violation} naming
 * the field and rule, never quoting the value.
 */
public final class JsonTyping {

    /** A typed value, or why the JSON breaks the contract. */
    public record Result(Struct value, Violation violation) {
    }

    private final Contract contract;
    private final Schema schema;
    private final RecordValidator validator;
    private final String field; // null: the whole record
    private final JsonValueConverter converter = new JsonValueConverter();

    private JsonTyping(Contract contract, Schema schema, RecordValidator validator, String field) {
        this.contract = contract;
        this.schema = schema;
        this.validator = validator;
        this.field = field;
    }

    /** Types JSON objects as the contract's whole record. */
    public static JsonTyping of(Contract contract) {
        return new JsonTyping(contract, AvroSchemaMapper.toConnectSchema(contract.schema()), new RecordValidator(contract), null);
    }

    /**
     * Types JSON objects as the top-level field {@code field} of the contract, when that field is a record (or a
     * nullable record); empty when the contract has no such field or it is not a record.
     */
    public static Optional<JsonTyping> ofField(Contract contract, String field) {
        org.apache.avro.Schema.Field f = contract.schema().getField(field);
        if (f == null || !isRecord(f.schema())) {
            return Optional.empty();
        }
        Schema fieldSchema = AvroSchemaMapper.toConnectSchema(contract.schema()).field(field).schema();
        return Optional.of(new JsonTyping(contract, fieldSchema, new RecordValidator(contract), field));
    }

    private static boolean isRecord(org.apache.avro.Schema s) {
        return s.getType() == org.apache.avro.Schema.Type.RECORD || s.getType() == org.apache.avro.Schema.Type.UNION
                && s.getTypes().stream().anyMatch(t -> t.getType() == org.apache.avro.Schema.Type.RECORD);
    }

    public Contract contract() {
        return contract;
    }

    /** The Connect schema of the typed values (optional when the contract field is nullable). */
    public Schema schema() {
        return schema;
    }

    /** {@code json} typed; null JSON (or no value) is null, allowed only where the contract allows null. */
    public Result type(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            Violation v = field == null ? validator.validate(null) : validator.validateField(field, null);
            return new Result(null, v);
        }
        Struct struct;
        try {
            struct = converter.toStruct(json, schema);
        } catch (DataException e) {
            // The converter's message may quote the value: name the field and rule through the validator instead.
            Object plain = JsonValueConverter.toSchemaless(json);
            Violation v = check(plain);
            return new Result(null, v != null ? v : new Violation(field == null ? "<root>" : field, "type",
                    "The JSON does not match the types of contract " + contract + (field == null ? "" : " field '" + field + "'")
                            + "."));
        }
        Violation v = check(struct);
        return v == null ? new Result(struct, null) : new Result(null, v);
    }

    /** Checks a value already structured (a Struct or Map); null when it satisfies the contract. */
    public Violation check(Object value) {
        return field == null ? validator.validate(value) : validator.validateField(field, value);
    }
}
