package io.onramp.connect.sink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;

class ValueJsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    /** Stores on disk are sorted by this text: the shortcut for whole numbers must write what Jackson writes. */
    @Test
    void wholeNumberKeysAreTheTextJacksonWritesForTheirArray() throws Exception {
        List<List<Object>> keys = List.of(List.of(42L), List.of(0), List.of(-7L), List.of(Long.MIN_VALUE),
                List.of(Long.MAX_VALUE), List.of((short) -3, (byte) 4), List.of(1L, 2, 3L));
        for (List<Object> key : keys) {
            Schema[] schemas = new Schema[key.size()];
            Arrays.fill(schemas, Schema.INT64_SCHEMA);
            assertThat(ValueJson.keyText(key, Arrays.asList(schemas))).isEqualTo(JACKSON.writeValueAsString(key));
            assertThat(ValueJson.keyText(key, Arrays.asList(new Schema[key.size()]))).isEqualTo(JACKSON.writeValueAsString(key));
        }
    }

    @Test
    void keysWithOtherValuesOrLogicalTypesKeepTheirJsonForm() {
        assertThat(ValueJson.keyText(List.of(5L, "a\"b"), List.of(Schema.INT64_SCHEMA, Schema.STRING_SCHEMA)))
                .isEqualTo("[5,\"a\\\"b\"]");
        assertThat(ValueJson.keyText(List.of(new java.util.Date(0)), List.of(Date.SCHEMA))).isEqualTo("[\"1970-01-01\"]");
    }
}
