package io.onramp.connect.transforms.protect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldProtectTest {

    static final Schema ITEM = SchemaBuilder.struct().name("Item").field("sku", Schema.STRING_SCHEMA)
            .field("price", Schema.FLOAT64_SCHEMA).build();
    static final Schema ADDRESS = SchemaBuilder.struct().name("Address").field("zip", Schema.STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA).build();
    static final Schema SCHEMA = SchemaBuilder.struct().name("Customer").version(2)
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ssn", Schema.OPTIONAL_STRING_SCHEMA)
            .field("age", Schema.OPTIONAL_INT32_SCHEMA)
            .field("score", Schema.FLOAT64_SCHEMA)
            .field("balance", Decimal.schema(2))
            .field("born", Timestamp.SCHEMA)
            .field("vip", Schema.BOOLEAN_SCHEMA)
            .field("address", ADDRESS)
            .field("items", SchemaBuilder.array(ITEM).build())
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build())
            .build();
    static final Date BORN = new Date(1_000_000_000_000L); // 2001-09-09T01:46:40Z

    FieldProtect<SourceRecord> transform;

    static Struct customer() {
        return new Struct(SCHEMA).put("id", 7L).put("name", "Alice").put("ssn", "123-45-6789").put("age", 34)
                .put("score", 12.5).put("balance", new BigDecimal("1234.56")).put("born", BORN).put("vip", true)
                .put("address", new Struct(ADDRESS).put("zip", "SW1A1AA").put("email", "a@x.org"))
                .put("items", List.of(new Struct(ITEM).put("sku", "ABC-1").put("price", 9.5),
                        new Struct(ITEM).put("sku", "DEF-2").put("price", 3.0)))
                .put("tags", List.of("gold", "early"))
                .put("attrs", Map.of("color", "red"));
    }

    static Map<String, Object> customerMap() {
        var address = new HashMap<String, Object>(Map.of("zip", "SW1A1AA", "email", "a@x.org"));
        var m = new HashMap<String, Object>();
        m.put("id", 7L);
        m.put("name", "Alice");
        m.put("age", 34);
        m.put("address", address);
        m.put("items", List.of(Map.of("sku", "ABC-1"), Map.of("sku", "DEF-2")));
        m.put("attrs", Map.of("color", "red", "size", "L"));
        return m;
    }

    FieldProtect<SourceRecord> configure(FieldProtect<SourceRecord> t, Map<String, String> props) {
        t.configure(props);
        transform = t;
        return t;
    }

    Struct protect(Map<String, String> props) {
        return (Struct) configure(new FieldProtect.Value<>(), props).apply(record(customer())).value();
    }

    static SourceRecord record(Object value) {
        Schema schema = value instanceof Struct s ? s.schema() : null;
        return new SourceRecord(Map.of(), Map.of(), "customers", 0, Schema.STRING_SCHEMA, "k", schema, value);
    }

    static String hmac(String key, String input) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void close() {
        if (transform != null) {
            transform.close();
        }
    }

    @Test
    void maskKeepsTypesAndStringLength() {
        Struct out = protect(Map.of("fields", "name:mask,id:mask,score:mask,balance:mask,vip:mask,born:mask"));

        assertThat(out.schema()).isEqualTo(SCHEMA);
        assertThat(out.getString("name")).isEqualTo("*****");
        assertThat(out.getInt64("id")).isZero();
        assertThat(out.getFloat64("score")).isZero();
        assertThat(out.get("balance")).isEqualTo(new BigDecimal("0.00"));
        assertThat(out.getBoolean("vip")).isFalse();
        assertThat(out.get("born")).isEqualTo(new Date(0));
        assertThat(out.getInt32("age")).isEqualTo(34);
    }

    @Test
    void maskUsesConfiguredReplacementOrCharacter() {
        assertThat(protect(Map.of("fields", "name:mask", "mask.replacement", "[hidden]")).getString("name"))
                .isEqualTo("[hidden]");
        assertThat(protect(Map.of("fields", "name:mask", "mask.char", "#")).getString("name")).isEqualTo("#####");
    }

    @Test
    void redactNullsOptionalFieldsAndEmptiesRequiredOnes() {
        Struct out = protect(Map.of("fields", "ssn:redact,name:redact,age:redact,id:redact"));

        assertThat(out.get("ssn")).isNull();
        assertThat(out.get("age")).isNull();
        assertThat(out.getString("name")).isEmpty();
        assertThat(out.getInt64("id")).isZero();
    }

    @Test
    void truncateCutsStringsAndRejectsOtherTypesNamingTheField() {
        assertThat(protect(Map.of("fields", "ssn:truncate", "truncate.length", "3")).getString("ssn")).isEqualTo("123");

        configure(new FieldProtect.Value<>(), Map.of("fields", "age:truncate"));
        assertThatThrownBy(() -> transform.apply(record(customer()))).isInstanceOf(DataException.class)
                .hasMessageContaining("'age'").hasMessageContaining("truncate");
    }

    @Test
    void generalizeTurnsNumbersIntoRangeStringsAndSaysSoInTheSchema() {
        Struct out = protect(Map.of("fields", "age:generalize,balance:generalize,score:generalize",
                "generalize.bucket.width", "10"));

        assertThat(out.getString("age")).isEqualTo("30-39");
        assertThat(out.getString("balance")).isEqualTo("1230-1239");
        assertThat(out.getString("score")).isEqualTo("10-19");
        assertThat(out.schema().field("age").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(out.schema().field("age").schema().isOptional()).isTrue();
        assertThat(out.schema().name()).isEqualTo("Customer");
        assertThat(out.schema().version()).isEqualTo(2);
    }

    @Test
    void generalizeDatesToMonthOrYearAndStringsToAPrefix() {
        Struct month = protect(Map.of("fields", "born:generalize,address.zip:generalize"));
        assertThat(((Date) month.get("born")).toInstant()).hasToString("2001-09-01T00:00:00Z");
        assertThat(month.getStruct("address").getString("zip")).isEqualTo("SW1");

        Struct year = protect(Map.of("fields", "born:generalize", "generalize.date.unit", "YEAR"));
        assertThat(((Date) year.get("born")).toInstant()).hasToString("2001-01-01T00:00:00Z");
    }

    @Test
    void hashIsKeyedHmacSha256AndChangesTheSchemaToString() throws Exception {
        Struct out = protect(Map.of("fields", "name:hash,id:hash", "hash.key", "s3cret"));

        assertThat(out.getString("name")).isEqualTo(hmac("s3cret", "Alice"));
        assertThat(out.getString("id")).isEqualTo(hmac("s3cret", "7"));
        assertThat(out.schema().field("id").schema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(protect(Map.of("fields", "name:hash", "hash.key", "other")).getString("name"))
                .isNotEqualTo(out.getString("name"));
    }

    @Test
    void hashCanBeBase64() {
        Struct out = protect(Map.of("fields", "name:hash", "hash.key", "k", "hash.encoding", "base64"));

        assertThat(out.getString("name")).hasSize(44).endsWith("=");
    }

    @Test
    void protectsNestedArrayElementAndMapValuePaths() {
        Struct out = protect(Map.of("fields", "address.email:mask,items.sku:truncate,tags:mask,attrs.*:redact",
                "truncate.length", "3"));

        assertThat(out.getStruct("address").getString("email")).isEqualTo("*******");
        assertThat(out.getStruct("address").getString("zip")).isEqualTo("SW1A1AA");
        assertThat(out.<Struct>getArray("items")).extracting(s -> s.getString("sku")).containsExactly("ABC", "DEF");
        assertThat(out.<Struct>getArray("items")).extracting(s -> s.getFloat64("price")).containsExactly(9.5, 3.0);
        assertThat(out.<String>getArray("tags")).containsExactly("****", "*****");
        assertThat(out.getMap("attrs")).containsEntry("color", "");
    }

    @Test
    void nestedHashChangesOnlyTheNestedSchema() {
        Struct out = protect(Map.of("fields", "items.price:hash", "hash.key", "k"));

        Schema items = out.schema().field("items").schema();
        assertThat(items.valueSchema().field("price").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(items.valueSchema().name()).isEqualTo("Item");
        assertThat(out.schema().field("address").schema()).isSameAs(ADDRESS);
    }

    @Test
    void outputSchemaIsBuiltOncePerInputSchema() {
        configure(new FieldProtect.Value<>(), Map.of("fields", "age:generalize"));

        Schema first = transform.apply(record(customer())).valueSchema();
        Schema second = transform.apply(record(customer())).valueSchema();

        assertThat(second).isSameAs(first);
    }

    @Test
    @SuppressWarnings("unchecked")
    void protectsSchemalessMapsListsAndMapValues() throws Exception {
        configure(new FieldProtect.Value<>(), Map.of("fields",
                "name:hash,address.email:mask,items.sku:generalize,attrs.*:mask,age:generalize,missing:mask",
                "hash.key", "k", "generalize.prefix.length", "2"));

        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) transform.apply(record(customerMap())).value();

        assertThat(out.get("name")).isEqualTo(hmac("k", "Alice"));
        assertThat(out.get("age")).isEqualTo("30-39");
        assertThat((Map<Object, Object>) out.get("address")).containsEntry("email", "*******").containsEntry("zip", "SW1A1AA");
        assertThat((List<Object>) out.get("items")).containsExactly(Map.of("sku", "AB"), Map.of("sku", "DE"));
        assertThat((Map<Object, Object>) out.get("attrs")).containsEntry("color", "***").containsEntry("size", "*");
        assertThat(out).doesNotContainKey("missing");
    }

    @Test
    @SuppressWarnings("unchecked")
    void schemalessTruncateMaskAndGeneralizeDatesKeepJavaTypes() {
        configure(new FieldProtect.Value<>(), Map.of("fields",
                "name:truncate,id:mask,score:mask,born:generalize,vip:mask", "truncate.length", "2",
                "generalize.date.unit", "year"));
        var in = customerMap();
        in.put("score", 3.5f);
        in.put("born", BORN);
        in.put("vip", true);

        Map<Object, Object> out = (Map<Object, Object>) transform.apply(record(in)).value();

        assertThat(out).containsEntry("name", "Al").containsEntry("id", 0L).containsEntry("score", 0.0f)
                .containsEntry("vip", false);
        assertThat(((Date) out.get("born")).toInstant()).hasToString("2001-01-01T00:00:00Z");
        assertThat(in).containsEntry("name", "Alice").as("the input map is not modified");
    }

    @Test
    @SuppressWarnings("unchecked")
    void schemalessRedactNullsTheValue() {
        configure(new FieldProtect.Value<>(), Map.of("fields", "name:redact"));

        assertThat((Map<Object, Object>) transform.apply(record(customerMap())).value()).containsEntry("name", null);
    }

    @Test
    void keyVariantProtectsTheKeyAndLeavesTheValue() {
        configure(new FieldProtect.Key<>(), Map.of("fields", "ssn:mask"));
        var rec = new SourceRecord(Map.of(), Map.of(), "t", 0, SCHEMA, customer(), SCHEMA, customer());

        SourceRecord out = transform.apply(rec);

        assertThat(((Struct) out.key()).getString("ssn")).isEqualTo("***********");
        assertThat(((Struct) out.value()).getString("ssn")).isEqualTo("123-45-6789");
    }

    @Test
    void takesPiiFieldsFromTheContractClassification(@TempDir Path dir) throws Exception {
        Path contract = Files.writeString(dir.resolve("v1.avsc"), "{\"type\":\"record\",\"name\":\"Customer\","
                + "\"onramp.domain\":\"crm\",\"onramp.product\":\"customers\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":\"string\",\"onramp.classification\":\"pii\"},"
                + "{\"name\":\"address\",\"type\":{\"type\":\"record\",\"name\":\"A\",\"fields\":["
                + "{\"name\":\"zip\",\"type\":\"string\"},{\"name\":\"email\",\"type\":[\"null\",\"string\"],"
                + "\"onramp.classification\":[\"pii\"]}]}}]}");

        Struct out = protect(Map.of("contract.file", contract.toString(), "hash.key", "k", "fields", "name:mask"));

        assertThat(out.getString("name")).isEqualTo("*****");
        assertThat(out.getStruct("address").getString("email")).isEqualTo(hmac("k", "a@x.org"));
        assertThat(out.getStruct("address").getString("zip")).isEqualTo("SW1A1AA");
    }

    @Test
    void countsProtectedRecordsAndFieldValuesInItsJmxBean() throws Exception {
        var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        var name = new javax.management.ObjectName(
                "io.onramp.connect:type=transform-metrics,connector=unit-customers,transform=FieldProtect$Value,instance=0");
        configure(new FieldProtect.Value<>(), Map.of("fields", "ssn:mask,items.sku:truncate", "connector.name", "unit-customers"));

        transform.apply(record(customer()));
        transform.apply(record(null));

        assertThat(server.getAttribute(name, "RecordsProtected")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "FieldsProtected")).as("ssn and the sku of both items").isEqualTo(3L);
        transform.close();
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void tombstonesPassThrough() {
        configure(new FieldProtect.Value<>(), Map.of("fields", "name:mask"));
        SourceRecord tombstone = record(null);

        assertThat(transform.apply(tombstone)).isSameAs(tombstone);
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> new FieldProtect.Value<SourceRecord>().configure(Map.of("fields", "name:hash")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hash.key");
        assertThatThrownBy(() -> new FieldProtect.Value<SourceRecord>().configure(Map.of("fields", "name:scramble")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fields").hasMessageContaining("scramble");
        assertThatThrownBy(() -> new FieldProtect.Value<SourceRecord>().configure(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fields");
        assertThatThrownBy(() -> new FieldProtect.Value<SourceRecord>().configure(Map.of("fields", "a:mask,a.b:mask")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("a.b");
    }

    @Test
    void aPathTheSchemaLacksFailsByDefaultNamingThePathNotTheValues() {
        configure(new FieldProtect.Value<>(), Map.of("fields", "ssn:mask,adress.email:hash,items.skuu:mask,attrs.*:mask",
                "hash.key", "k"));

        assertThatThrownBy(() -> transform.apply(record(customer()))).isInstanceOf(DataException.class)
                .hasMessageContaining("'adress.email', 'items.skuu'").hasMessageContaining("on.missing.field=fail")
                .hasMessageNotContaining("123-45-6789").hasMessageNotContaining("'ssn'").hasMessageNotContaining("attrs");
    }

    @Test
    void aPathTheSchemaLacksPassesUnderWarnOrIgnoreWithTheOtherFieldsProtected() {
        for (String policy : List.of("warn", "ignore")) {
            Struct out = protect(Map.of("fields", "ssn:mask,nickname:mask", "on.missing.field", policy));

            assertThat(out.getString("ssn")).as(policy).isEqualTo("***********");
        }
    }

    @Test
    void schemalessMapsMayOmitAProtectedKey() {
        configure(new FieldProtect.Value<>(), Map.of("fields", "ssn:mask,name:mask"));

        @SuppressWarnings("unchecked")
        var out = (Map<String, Object>) transform.apply(record(customerMap())).value();

        assertThat(out).containsEntry("name", "*****").doesNotContainKey("ssn");
    }

    @Test
    void fieldsAreCheckedByTheirOwnValidatorAndCrossKeyRulesByValidateCrossKeys() {
        var def = new FieldProtect.Value<SourceRecord>().config();
        var fieldsErrors = def.validate(Map.of("fields", "name:scramble")).stream()
                .filter(v -> v.name().equals("fields")).findFirst().orElseThrow().errorMessages();

        assertThat(fieldsErrors).singleElement().asString().contains("'fields'").contains("scramble");
        assertThatThrownBy(() -> new FieldProtect.Value<SourceRecord>().validateCrossKeys(Map.of("fields", "name:hash")))
                .isInstanceOf(io.onramp.connect.core.config.KeyedConfigException.class)
                .extracting(e -> ((io.onramp.connect.core.config.KeyedConfigException) e).key()).isEqualTo("hash.key");
        new FieldProtect.Value<SourceRecord>().validateCrossKeys(Map.of("fields", "name:hash", "hash.key", "k"));
    }

    @Test
    void protectingAWholeStructIsRejectedWithAHint() {
        configure(new FieldProtect.Value<>(), Map.of("fields", "address:mask"));

        assertThatThrownBy(() -> transform.apply(record(customer()))).isInstanceOf(DataException.class)
                .hasMessageContaining("'address'").hasMessageContaining("address.<field>");
    }

    @Test
    void everyConfigKeyIsDocumented() {
        assertThat(new FieldProtect.Value<SourceRecord>().config().configKeys().values())
                .allSatisfy(k -> assertThat(k.documentation).isNotBlank());
    }
}
