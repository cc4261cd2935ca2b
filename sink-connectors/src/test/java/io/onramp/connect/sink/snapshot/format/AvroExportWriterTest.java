package io.onramp.connect.sink.snapshot.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroExportWriterTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Customer", "namespace": "com.example", "fields": [
              {"name": "id", "type": "long"},
              {"name": "name", "type": "string"},
              {"name": "email", "type": ["null", "string"], "default": null},
              {"name": "birth_date", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null},
              {"name": "balance", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["ACTIVE", "CLOSED"]}},
              {"name": "signed_up", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""");

    private static byte[] write(String... rows) throws Exception {
        var out = new ByteArrayOutputStream();
        var writer = new AvroExportWriter(out, SCHEMA, "deflate", Map.of("onramp.contract.version", "1"));
        writer.begin();
        for (String row : rows) {
            writer.write(row);
        }
        writer.finish();
        return out.toByteArray();
    }

    @Test
    void writesAContainerFileThatAvrosOwnReaderReadsBack() throws Exception {
        byte[] file = write(
                "{\"id\":1,\"name\":\"Ann\",\"email\":\"ann@example.com\",\"birth_date\":\"1990-02-28\","
                        + "\"balance\":12.5,\"status\":\"ACTIVE\",\"signed_up\":\"2024-01-31T13:45:00.250Z\"}",
                "{\"id\":2,\"name\":\"Bob\",\"email\":null,\"balance\":-0.01,\"status\":\"CLOSED\","
                        + "\"signed_up\":\"1970-01-01T00:00:00Z\"}");
        var records = new ArrayList<GenericRecord>();
        try (var reader = new DataFileReader<GenericRecord>(new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
            assertThat(reader.getSchema()).isEqualTo(SCHEMA);
            assertThat(reader.getMetaString("onramp.contract.version")).isEqualTo("1");
            reader.forEach(records::add);
        }
        assertThat(records).hasSize(2);
        GenericRecord ann = records.get(0);
        assertThat(ann.get("id")).isEqualTo(1L);
        assertThat(ann.get("name").toString()).isEqualTo("Ann");
        assertThat(ann.get("email").toString()).isEqualTo("ann@example.com");
        assertThat(ann.get("birth_date")).isEqualTo((int) LocalDate.of(1990, 2, 28).toEpochDay());
        assertThat(new BigDecimal(new BigInteger(bytes((ByteBuffer) ann.get("balance"))), 2)).isEqualByComparingTo("12.50");
        assertThat(ann.get("status").toString()).isEqualTo("ACTIVE");
        assertThat(ann.get("signed_up")).isEqualTo(Instant.parse("2024-01-31T13:45:00.250Z").toEpochMilli());
        GenericRecord bob = records.get(1);
        assertThat(bob.get("email")).isNull();
        assertThat(bob.get("birth_date")).isNull();
        assertThat(new BigDecimal(new BigInteger(bytes((ByteBuffer) bob.get("balance"))), 2)).isEqualByComparingTo("-0.01");
        assertThat(bob.get("signed_up")).isEqualTo(0L);
    }

    @Test
    void aRowThatDoesNotFitTheContractFailsNamingTheFieldNotTheValue() {
        assertThatThrownBy(() -> write("{\"id\":1,\"name\":\"x\",\"balance\":1.234,\"status\":\"ACTIVE\",\"signed_up\":0}"))
                .hasMessageContaining("'balance'").hasMessageNotContaining("1.234");
        assertThatThrownBy(() -> write("{\"id\":1,\"balance\":1,\"status\":\"ACTIVE\",\"signed_up\":0}"))
                .hasMessageContaining("'name' is required");
        assertThatThrownBy(() -> write("{\"id\":1,\"name\":\"x\",\"balance\":1,\"status\":\"SECRET\",\"signed_up\":0}"))
                .hasMessageContaining("'status'").hasMessageNotContaining("SECRET");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        var copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
