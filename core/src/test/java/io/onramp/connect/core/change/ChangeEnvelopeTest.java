package io.onramp.connect.core.change;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class ChangeEnvelopeTest {

    private static final Schema ROW = SchemaBuilder.struct().name("crm.Customer").field("id", Schema.INT64_SCHEMA).build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("Source").field("file", Schema.STRING_SCHEMA).build();

    @Test
    void hasDebeziumsEnvelopeFields() {
        var envelope = new ChangeEnvelope("crm.Customer.Envelope", ROW, SOURCE);

        assertThat(envelope.schema().name()).isEqualTo("crm.Customer.Envelope");
        assertThat(envelope.schema().fields()).extracting(field -> field.name())
                .containsExactly("before", "after", "source", "op", "ts_ms");
        assertThat(envelope.schema().field("before").schema().isOptional()).isTrue();
        assertThat(envelope.schema().field("after").schema().name()).isEqualTo("crm.Customer");
    }

    @Test
    void buildsAValidUpdateFromRowsOfTheRequiredSchema() {
        var envelope = new ChangeEnvelope("E", ROW, SOURCE);
        var source = new Struct(SOURCE).put("file", "f.csv");

        Struct update = envelope.build(ChangeEnvelope.Op.UPDATE, new Struct(ROW).put("id", 1L), new Struct(ROW).put("id", 1L), source, 5L);

        update.validate();
        assertThat(update.getString("op")).isEqualTo("u");
        assertThat(update.getStruct("before").getInt64("id")).isEqualTo(1L);
        assertThat(update.getInt64("ts_ms")).isEqualTo(5L);
    }

    @Test
    void aDeleteHasNoAfter() {
        var envelope = new ChangeEnvelope("E", ROW, SOURCE);

        Struct delete = envelope.build(ChangeEnvelope.Op.DELETE, new Struct(ROW).put("id", 1L), null, new Struct(SOURCE).put("file", "f"), 1L);

        delete.validate();
        assertThat(delete.get("after")).isNull();
        assertThat(delete.getString("op")).isEqualTo("d");
    }
}
