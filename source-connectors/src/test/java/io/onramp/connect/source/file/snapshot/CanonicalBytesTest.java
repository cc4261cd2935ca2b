package io.onramp.connect.source.file.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.core.change.FlatStructText;
import io.onramp.connect.core.schema.TextValueParser;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

/** Whatever {@link CanonicalBytes} keeps must be exactly what parsing and writing back the text gives. */
class CanonicalBytesTest {

    private final TextValueParser parser = new TextValueParser();

    @Test
    void keepsOnlyTextsThatParseAndWriteBackUnchanged() {
        Schema decimal = Decimal.builder(2).parameter("connect.decimal.precision", "6").optional().build();
        Schema[] schemas = {Schema.OPTIONAL_INT64_SCHEMA, Schema.INT64_SCHEMA, decimal, Decimal.builder(3).build(),
            Timestamp.builder().optional().build(), Schema.OPTIONAL_STRING_SCHEMA};
        var random = new Random(7);
        String alphabet = "0123456789000000-.:TZ +e";
        int kept = 0;
        for (Schema schema : schemas) {
            var canonical = CanonicalBytes.of(schema);
            assertThat(canonical.kind()).isNotEqualTo(CanonicalBytes.Kind.OTHER);
            for (int n = 0; n < 300_000; n++) {
                String text = n % 3 == 0 ? timestampLike(random) : randomText(random, alphabet);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                if (!canonical.isCanonical(bytes, 0, bytes.length)) {
                    continue;
                }
                kept++;
                Object value = parser.parse(text, schema, "f");
                assertThat(FlatStructText.text(value, schema)).as("%s as %s", text, schema).isEqualTo(text);
            }
        }
        assertThat(kept).isGreaterThan(10_000);
    }

    private static String randomText(Random random, String alphabet) {
        var text = new StringBuilder();
        for (int i = random.nextInt(22); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String timestampLike(Random random) {
        return String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", random.nextInt(10_000), random.nextInt(14), random.nextInt(33),
                random.nextInt(26), random.nextInt(62), random.nextInt(62));
    }
}
