package io.onramp.connect.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ColumnValuesTest {

    /** A schemaless column's Java value, and the schemas Connect defines for its type (required, optional). */
    static Stream<Arguments> primitives() {
        return Stream.of(
                Arguments.of(42L, Schema.INT64_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA),
                Arguments.of(42, Schema.INT32_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA),
                Arguments.of((short) 42, Schema.INT16_SCHEMA, Schema.OPTIONAL_INT16_SCHEMA),
                Arguments.of((byte) 42, Schema.INT8_SCHEMA, Schema.OPTIONAL_INT8_SCHEMA),
                Arguments.of(true, Schema.BOOLEAN_SCHEMA, Schema.OPTIONAL_BOOLEAN_SCHEMA),
                Arguments.of(4.2d, Schema.FLOAT64_SCHEMA, Schema.OPTIONAL_FLOAT64_SCHEMA),
                Arguments.of(4.2f, Schema.FLOAT32_SCHEMA, Schema.OPTIONAL_FLOAT32_SCHEMA),
                Arguments.of(new byte[] {1, 2}, Schema.BYTES_SCHEMA, Schema.OPTIONAL_BYTES_SCHEMA));
    }

    @ParameterizedTest
    @MethodSource("primitives")
    void schemalessPrimitiveValuesGetConnectsSchemaOfTheirTypeAndKeepTheirValue(Object value, Schema required,
            Schema optional) {
        SchemaAndValue asRequired = ColumnValues.of(value, null, false);
        SchemaAndValue asOptional = ColumnValues.of(value, null, true);

        assertThat(asRequired.schema()).isSameAs(required);
        assertThat(asOptional.schema()).isSameAs(optional);
        assertThat(asRequired.value()).isSameAs(value);
        assertThat(asOptional.value()).isSameAs(value);
    }

    @ParameterizedTest
    @MethodSource("primitives")
    void aColumnsOwnSchemaWinsOverItsJavaType(Object value, Schema required, Schema optional) {
        assertThat(ColumnValues.of(value, Schema.OPTIONAL_STRING_SCHEMA, false).schema()).isSameAs(Schema.OPTIONAL_STRING_SCHEMA);
    }

    @Test
    void uuidsBecomeStringsAndUnknownTypesHaveNoSchema() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(ColumnValues.of(id, null, false)).isEqualTo(new SchemaAndValue(Schema.STRING_SCHEMA,
                "123e4567-e89b-12d3-a456-426614174000"));
        Object unknown = new Object();
        assertThat(ColumnValues.of(unknown, null, true)).isEqualTo(new SchemaAndValue(null, unknown));
    }
}
