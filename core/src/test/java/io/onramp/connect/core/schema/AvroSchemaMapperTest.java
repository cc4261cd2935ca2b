package io.onramp.connect.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvroSchemaMapperTest {

    private static Schema map(String avsc) {
        return AvroSchemaMapper.toConnectSchema(new org.apache.avro.Schema.Parser().parse(avsc));
    }

    private static Schema field(String type) {
        return fieldWith("\"type\": " + type);
    }

    private static Schema fieldWith(String fieldBody) {
        return map("{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":[{\"name\":\"f\"," + fieldBody + "}]}")
                .field("f").schema();
    }

    @Test
    void mapsRecordToStructWithFullNameDocAndFieldDoc() {
        Schema schema = map("""
                {"type":"record","name":"Customer","namespace":"shop.crm","doc":"A customer.",
                 "fields":[{"name":"id","type":"long","doc":"Primary key."},{"name":"name","type":"string"}]}""");

        assertThat(schema.type()).isEqualTo(Schema.Type.STRUCT);
        assertThat(schema.name()).isEqualTo("shop.crm.Customer");
        assertThat(schema.doc()).isEqualTo("A customer.");
        assertThat(schema.fields()).extracting(f -> f.name()).containsExactly("id", "name");
        assertThat(schema.field("id").schema().type()).isEqualTo(Schema.Type.INT64);
        assertThat(schema.field("id").schema().doc()).isEqualTo("Primary key.");
        assertThat(schema.field("name").schema().isOptional()).isFalse();
    }

    @Test
    void mapsPrimitiveTypes() {
        assertThat(field("\"string\"").type()).isEqualTo(Schema.Type.STRING);
        assertThat(field("\"int\"").type()).isEqualTo(Schema.Type.INT32);
        assertThat(field("\"long\"").type()).isEqualTo(Schema.Type.INT64);
        assertThat(field("\"float\"").type()).isEqualTo(Schema.Type.FLOAT32);
        assertThat(field("\"double\"").type()).isEqualTo(Schema.Type.FLOAT64);
        assertThat(field("\"boolean\"").type()).isEqualTo(Schema.Type.BOOLEAN);
        assertThat(field("\"bytes\"").type()).isEqualTo(Schema.Type.BYTES);
        Schema fixed = field("{\"type\":\"fixed\",\"name\":\"Hash\",\"size\":16}");
        assertThat(fixed.type()).isEqualTo(Schema.Type.BYTES);
        assertThat(fixed.parameters()).containsEntry(OnrampSchemas.FIXED_SIZE, "16");
    }

    @Test
    void reusesOneSchemaInstancePerNestedRecord() {
        Schema schema = map("""
                {"type":"record","name":"Order","namespace":"shop","fields":[
                  {"name":"billing","type":{"type":"record","name":"Address","fields":[{"name":"city","type":"string"}]}},
                  {"name":"shipping","type":"Address"},
                  {"name":"previous","type":{"type":"array","items":"Address"}},
                  {"name":"alt","type":["null","Address"]},
                  {"name":"alt2","type":["null","Address"]}]}""");

        Schema billing = schema.field("billing").schema();
        assertThat(billing.name()).isEqualTo("shop.Address");
        assertThat(billing.field("city").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(schema.field("shipping").schema()).isSameAs(billing);
        assertThat(schema.field("previous").schema().valueSchema()).isSameAs(billing);
        assertThat(schema.field("alt").schema().isOptional()).isTrue();
        assertThat(schema.field("alt").schema().fields()).isEqualTo(billing.fields());
        assertThat(schema.field("alt2").schema()).isSameAs(schema.field("alt").schema());
    }

    @Test
    void mapsArraysAndMapsWithStringKeys() {
        Schema array = field("{\"type\":\"array\",\"items\":\"int\"}");
        assertThat(array.type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(array.valueSchema().type()).isEqualTo(Schema.Type.INT32);

        Schema map = field("{\"type\":\"map\",\"values\":[\"null\",\"double\"]}");
        assertThat(map.type()).isEqualTo(Schema.Type.MAP);
        assertThat(map.keySchema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(map.valueSchema().type()).isEqualTo(Schema.Type.FLOAT64);
        assertThat(map.valueSchema().isOptional()).isTrue();
    }

    @Test
    void mapsEnumToNamedStringWithSymbols() {
        Schema schema = field("{\"type\":\"enum\",\"name\":\"Status\",\"namespace\":\"shop\",\"symbols\":[\"NEW\",\"PAID\",\"SHIPPED\"]}");

        assertThat(schema.type()).isEqualTo(Schema.Type.STRING);
        assertThat(schema.name()).isEqualTo("shop.Status");
        assertThat(schema.parameters()).containsExactly(Map.entry(OnrampSchemas.ENUM_SYMBOLS, "NEW,PAID,SHIPPED"));
    }

    @Test
    void mapsNullableUnionToOptionalField() {
        assertThat(field("[\"null\",\"string\"]").isOptional()).isTrue();
        assertThat(field("[\"null\",\"string\"]").type()).isEqualTo(Schema.Type.STRING);
        assertThat(field("[\"long\",\"null\"]").isOptional()).isTrue();
        assertThat(field("[\"long\",\"null\"]").type()).isEqualTo(Schema.Type.INT64);
    }

    @Test
    void rejectsUnionOfTwoNonNullTypes() {
        assertThatThrownBy(() -> field("[\"string\",\"long\"]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'f'")
                .hasMessageContaining("unions other than [null, T] are not supported");
        assertThatThrownBy(() -> field("[\"null\",\"string\",\"long\"]")).isInstanceOf(ConfigException.class);
    }

    @Test
    void mapsDecimalOnBytesAndFixedKeepingPrecision() {
        Schema onBytes = field("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":2}");
        assertThat(onBytes.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(onBytes.parameters()).containsEntry(Decimal.SCALE_FIELD, "2").containsEntry(OnrampSchemas.DECIMAL_PRECISION, "12");

        Schema onFixed = field("{\"type\":\"fixed\",\"name\":\"Amount\",\"size\":8,\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}");
        assertThat(onFixed.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(onFixed.parameters()).containsEntry(Decimal.SCALE_FIELD, "4").containsEntry(OnrampSchemas.DECIMAL_PRECISION, "18");
    }

    @Test
    void rejectsDecimalThatAvroWouldSilentlyIgnore() {
        assertThatThrownBy(() -> field("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":2,\"scale\":5}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'f'").hasMessageContaining("invalid decimal");
    }

    @Test
    void mapsDateAndTimeLogicalTypes() {
        assertThat(field("{\"type\":\"int\",\"logicalType\":\"date\"}").name()).isEqualTo(Date.LOGICAL_NAME);
        assertThat(field("{\"type\":\"int\",\"logicalType\":\"time-millis\"}").name()).isEqualTo(Time.LOGICAL_NAME);
        assertThat(field("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}").name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(field("{\"type\":\"long\",\"logicalType\":\"local-timestamp-millis\"}").name()).isEqualTo(Timestamp.LOGICAL_NAME);

        Schema micros = field("{\"type\":\"long\",\"logicalType\":\"time-micros\"}");
        assertThat(micros.type()).isEqualTo(Schema.Type.INT64);
        assertThat(micros.name()).isEqualTo(OnrampSchemas.MICRO_TIME);
        Schema tsMicros = field("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}");
        assertThat(tsMicros.type()).isEqualTo(Schema.Type.INT64);
        assertThat(tsMicros.name()).isEqualTo(OnrampSchemas.MICRO_TIMESTAMP);
        assertThat(field("{\"type\":\"long\",\"logicalType\":\"timestamp-nanos\"}").name()).isEqualTo(OnrampSchemas.NANO_TIMESTAMP);
    }

    @Test
    void mapsUuidToNamedString() {
        Schema schema = field("{\"type\":\"string\",\"logicalType\":\"uuid\"}");
        assertThat(schema.type()).isEqualTo(Schema.Type.STRING);
        assertThat(schema.name()).isEqualTo(OnrampSchemas.UUID);
    }

    @Test
    void keepsLogicalTypeOnOptionalField() {
        Schema schema = field("[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}]");
        assertThat(schema.name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(schema.isOptional()).isTrue();
    }

    @Test
    void carriesFieldDefaultsAsConnectDefaults() {
        assertThat(fieldWith("\"type\":\"int\",\"default\":7").defaultValue()).isEqualTo(7);
        assertThat(fieldWith("\"type\":\"float\",\"default\":1").defaultValue()).isEqualTo(1.0f);
        assertThat(fieldWith("\"type\":\"string\",\"default\":\"x\"").defaultValue()).isEqualTo("x");
        assertThat(fieldWith("\"type\":[\"string\",\"null\"],\"default\":\"y\"").defaultValue()).isEqualTo("y");
        assertThat(fieldWith("\"type\":[\"null\",\"string\"],\"default\":null").defaultValue()).isNull();
        assertThat(fieldWith("\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]},\"default\":\"B\"").defaultValue())
                .isEqualTo("B");
        assertThat(fieldWith("\"type\":{\"type\":\"array\",\"items\":\"long\"},\"default\":[1,2]").defaultValue())
                .isEqualTo(List.of(1L, 2L));
        assertThat(fieldWith("\"type\":{\"type\":\"int\",\"logicalType\":\"date\"},\"default\":1").defaultValue())
                .isEqualTo(new java.util.Date(86_400_000L));
        assertThat(fieldWith("\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":5,\"scale\":2},\"default\":\"\\u0001\\u0000\"")
                .defaultValue()).isEqualTo(new BigDecimal("2.56"));
    }

    @Test
    void carriesArrayOfRecordsDefaultAsStructs() {
        Schema schema = map("""
                {"type":"record","name":"R","fields":[
                  {"name":"items","default":[{"n":3}],
                   "type":{"type":"array","items":{"type":"record","name":"Item","fields":[{"name":"n","type":"int"}]}}}]}""");

        @SuppressWarnings("unchecked")
        var items = (List<Struct>) schema.field("items").schema().defaultValue();
        assertThat(items).singleElement().satisfies(s -> assertThat(s.getInt32("n")).isEqualTo(3));
    }

    @Test
    void rejectsRecursiveRecordWithoutOverflowingTheStack() {
        assertThatThrownBy(() -> map("""
                {"type":"record","name":"Node","namespace":"t","fields":[
                  {"name":"value","type":"int"},
                  {"name":"children","type":{"type":"array","items":"Node"}}]}"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("children")
                .hasMessageContaining("recursive");
    }

    @Test
    void rejectsRecursionThroughNullableField() {
        assertThatThrownBy(() -> map("""
                {"type":"record","name":"Link","fields":[{"name":"next","type":["null","Link"],"default":null}]}"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'next'");
    }

    @Test
    void readsContractFileAndNamesFileOnError(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("v1.avsc"),
                "{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
        assertThat(AvroSchemaMapper.fromContractFile(good).name()).isEqualTo("P");

        Path bad = Files.writeString(dir.resolve("v2.avsc"), "{\"type\":\"record\",\"name\":");
        assertThatThrownBy(() -> AvroSchemaMapper.fromContractFile(bad))
                .isInstanceOf(ConfigException.class).hasMessageContaining("v2.avsc");
        assertThatThrownBy(() -> AvroSchemaMapper.fromContractFile(dir.resolve("missing.avsc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.avsc");
    }
}
