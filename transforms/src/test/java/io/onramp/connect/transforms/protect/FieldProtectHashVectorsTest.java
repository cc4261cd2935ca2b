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

    @Test
    void keyLongerThanTheBlockIsHashedFirstAsRfc4231TestCase6Does() {
        // RFC 4231 case 6's message with a 131-byte key (longer than SHA-256's 64-byte block, so HMAC hashes the key
        // first). The RFC's key is 131 bytes of 0xaa, which a config string cannot carry; this printable key of the same
        // length was hashed with Python's hmac module: hmac.new(key.encode(), msg.encode(), hashlib.sha256).hexdigest().
        String key = "onramp-hash-key-".repeat(9).substring(0, 131);
        assertThat(hash(key, "Test Using Larger Than Block-Size Key - Hash Key First", "hex"))
                .isEqualTo("831e0cce329f3ab50e7950447b88024f3d0905957a8274ba5b739dcb28bef79e");
    }

    private static String hash(String key, String value, String encoding) {
        try (var protect = new FieldProtect.Value<SourceRecord>()) {
            protect.configure(Map.of("fields", "secret:hash", "hash.key", key, "hash.encoding", encoding));
            var record = new SourceRecord(Map.of(), Map.of(), "t", 0, SCHEMA, new Struct(SCHEMA).put("secret", value));
            return ((Struct) protect.apply(record).value()).getString("secret");
        }
    }
}
