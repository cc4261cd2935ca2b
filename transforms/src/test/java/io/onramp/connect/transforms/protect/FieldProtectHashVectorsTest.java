package io.onramp.connect.transforms.protect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * FieldProtect's hash is HMAC-SHA256: checked against the test vectors of RFC 4231, section 4 (test case 2; the
 * other cases use binary keys, which a config string cannot carry: Connect trims it).
 */
class FieldProtectHashVectorsTest {

    private static final Schema SCHEMA = SchemaBuilder.struct().field("secret", Schema.STRING_SCHEMA).build();

    @Test
    void rfc4231TestCase2() {
        assertThat(hash("Jefe", "what do ya want for nothing?", "hex"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void rfc4231TestCase2InBase64() {
        // The RFC's hex digest above, base64-encoded with Python's base64.b64encode.
        assertThat(hash("Jefe", "what do ya want for nothing?", "base64"))
                .isEqualTo("W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
    }

    private static String hash(String key, String value, String encoding) {
        try (var protect = new FieldProtect.Value<SourceRecord>()) {
            protect.configure(Map.of("fields", "secret:hash", "hash.key", key, "hash.encoding", encoding));
            var record = new SourceRecord(Map.of(), Map.of(), "t", 0, SCHEMA, new Struct(SCHEMA).put("secret", value));
            return ((Struct) protect.apply(record).value()).getString("secret");
        }
    }
}
