package io.onramp.connect.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.core.change.FlatStructText;
import io.onramp.connect.core.diff.ChangeEvent;
import io.onramp.connect.core.sort.Row;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Envelope rows built straight on the envelope's row schema equal the copies ChangeEnvelope used to make. */
class ChangeRecordFactoryTest {

    private static final Schema ROW = SchemaBuilder.struct().name("crm.Customer")
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("balance", Decimal.builder(2).optional().build())
            .build();

    private static final Schema ROW_WITH_DEFAULT = SchemaBuilder.struct().name("crm.Customer")
            .field("id", Schema.INT64_SCHEMA)
            .field("status", SchemaBuilder.string().optional().defaultValue("active").build())
            .build();

    @Test
    void envelopeRowsEqualTheRowsCopiedOntoTheOptionalSchema() {
        var text = new FlatStructText(ROW);
        Row before = new Row(Arrays.asList("7", "Ada", "1.50"), 2);
        Row after = new Row(Arrays.asList("7", null, "2.00"), 3);
        Struct value = envelopeOf(text, new ChangeEvent(ChangeEvent.Op.UPDATE, List.of("7"), before, after));

        Schema optionalRow = value.schema().field("before").schema();
        assertThat(value.get("before")).isEqualTo(copy(text.toStruct(before.values()), optionalRow));
        assertThat(value.get("after")).isEqualTo(copy(text.toStruct(after.values()), optionalRow));
        assertThat(value.getString("op")).isEqualTo("u");
    }

    @Test
    void rowsWithDefaultsStillGetTheirDefaultsWrittenIn() {
        var text = new FlatStructText(ROW_WITH_DEFAULT);
        Row after = new Row(Arrays.asList("7", null), 2);
        Struct value = envelopeOf(text, new ChangeEvent(ChangeEvent.Op.READ, List.of("7"), null, after));

        Schema optionalRow = value.schema().field("after").schema();
        Struct expected = copy(text.toStruct(after.values()), optionalRow);
        assertThat(value.get("after")).isEqualTo(expected);
        assertThat(((Struct) value.get("after")).getString("status")).isEqualTo("active");
    }

    private static Struct envelopeOf(FlatStructText text, ChangeEvent event) {
        Schema sourceSchema = SchemaBuilder.struct().name("test.Source").field("table", Schema.STRING_SCHEMA).build();
        var factory = new ChangeRecordFactory("customers", false, text, List.of("id"),
                new Struct(sourceSchema).put("table", "customers"), "d.csv");
        List<String> columns = text.columnNames();
        SourceRecord record = factory.record(event, columns, columns, Map.of("table", "customers"), Map.of("event", 1L), 5L);
        return (Struct) record.value();
    }

    /** What ChangeEnvelope's copy onto the optional row schema does. */
    private static Struct copy(Struct row, Schema target) {
        var copy = new Struct(target);
        for (Field field : row.schema().fields()) {
            copy.put(field.name(), row.get(field));
        }
        return copy;
    }
}
