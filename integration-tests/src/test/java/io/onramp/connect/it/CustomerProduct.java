package io.onramp.connect.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The product topic of the export tests, {@code crm/customers/v1} of config-examples, written as the worker's
 * JsonConverter reads it ({@code {"schema":..., "payload":...}}, keys as plain JSON): state records, tombstones and
 * Onramp change envelopes. It remembers every record it produced with its partition and offset, so the expected
 * state at any offsets comes from the test's own model, not from the code under test.
 */
public final class CustomerProduct implements AutoCloseable {

    static final String[] COLUMNS = {"id", "name", "email", "birth_date", "balance", "status", "signed_up"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW_SCHEMA = """
            {"type":"struct","name":"com.example.crm.Customer","optional":%s,"fields":[
             {"field":"id","type":"int64","optional":false},
             {"field":"name","type":"string","optional":false},
             {"field":"email","type":"string","optional":true},
             {"field":"birth_date","type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1},
             {"field":"balance","type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,
              "parameters":{"scale":"2"}},
             {"field":"status","type":"string","optional":false},
             {"field":"signed_up","type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1}]}""";
    private static final String ENVELOPE_SCHEMA = "{\"type\":\"struct\",\"name\":\"crm.customers.Envelope\",\"optional\":false,"
            + "\"fields\":[" + field("before", ROW_SCHEMA.formatted("true")) + "," + field("after", ROW_SCHEMA.formatted("true"))
            + ",{\"field\":\"op\",\"type\":\"string\",\"optional\":false},{\"field\":\"ts_ms\",\"type\":\"int64\",\"optional\":true}]}";

    /** One customer row, in the canonical text each export format is compared in. */
    record Customer(long id, String name, String email, LocalDate birthDate, BigDecimal balance, String status,
                    Instant signedUp) {

        Map<String, String> canonical() {
            var row = new LinkedHashMap<String, String>();
            row.put("id", Long.toString(id));
            row.put("name", name);
            row.put("email", email);
            row.put("birth_date", birthDate == null ? null : birthDate.toString());
            row.put("balance", balance.setScale(2).toPlainString());
            row.put("status", status);
            row.put("signed_up", Long.toString(signedUp.toEpochMilli()));
            return row;
        }

        ObjectNode payload() {
            var node = JSON.createObjectNode();
            node.put("id", id);
            node.put("name", name);
            node.put("email", email);
            if (birthDate == null) {
                node.putNull("birth_date");
            } else {
                node.put("birth_date", (int) birthDate.toEpochDay());
            }
            node.put("balance", balance);
            node.put("status", status);
            node.put("signed_up", signedUp.toEpochMilli());
            return node;
        }
    }

    /** A produced record: where it landed and what it does to its key (null = delete). */
    record Produced(int partition, long offset, long id, Customer row) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final List<Produced> produced = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(java.util.concurrent.Future<RecordMetadata> sent, long id, Customer row) {
    }

    CustomerProduct(String bootstrapServers, String topic) {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    static Customer customer(long id, String name, String balance) {
        return new Customer(id, name, id % 3 == 0 ? null : "c" + id + "@example.com",
                id % 4 == 0 ? null : LocalDate.of(1970 + (int) (id % 50), 1 + (int) (id % 12), 1 + (int) (id % 28)),
                new BigDecimal(balance), id % 5 == 0 ? "SUSPENDED" : "ACTIVE",
                Instant.parse("2024-01-01T00:00:00Z").plusMillis(id * 1_001));
    }

    void upsert(Customer row) {
        send(row.id(), "{\"schema\":" + ROW_SCHEMA.formatted("false") + ",\"payload\":" + row.payload() + "}", row);
    }

    void tombstone(long id) {
        send(id, null, null);
    }

    void envelopeUpdate(Customer before, Customer after) {
        send(after.id(), envelope("u", before.payload(), after.payload()), after);
    }

    void envelopeDelete(Customer before) {
        send(before.id(), envelope("d", before.payload(), null), null);
    }

    private static String envelope(String op, ObjectNode before, ObjectNode after) {
        var payload = JSON.createObjectNode();
        payload.set("before", before);
        payload.set("after", after);
        payload.put("op", op);
        payload.put("ts_ms", 1_700_000_000_000L);
        return "{\"schema\":" + ENVELOPE_SCHEMA + ",\"payload\":" + payload + "}";
    }

    private static String field(String name, String schema) {
        return schema.replaceFirst("\\{", "{\"field\":\"" + name + "\",");
    }

    /** Sends without waiting (the idempotent producer keeps each partition in order); see {@link #flush()}. */
    private void send(long id, String value, Customer row) {
        byte[] key = ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
        pending.add(new Pending(producer.send(new ProducerRecord<>(topic, key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8))), id, row));
    }

    /** Waits for every record sent so far and learns where it landed. */
    void flush() {
        producer.flush();
        try {
            for (Pending p : pending) {
                RecordMetadata meta = p.sent().get();
                produced.add(new Produced(meta.partition(), meta.offset(), p.id(), p.row()));
            }
        } catch (Exception e) {
            throw new AssertionError("cannot produce to " + topic, e);
        }
        pending.clear();
    }

    /** The next offset of every partition written so far. */
    Map<Integer, Long> endOffsets() {
        flush();
        var ends = new TreeMap<Integer, Long>();
        produced.forEach(p -> ends.merge(p.partition(), p.offset() + 1, Math::max));
        return ends;
    }

    /** The state (id to canonical row) once every record below {@code nextOffsets} is applied. */
    Map<Long, Map<String, String>> stateAt(Map<Integer, Long> nextOffsets) {
        flush();
        var state = new TreeMap<Long, Map<String, String>>();
        for (Produced p : produced) {
            if (p.offset() < nextOffsets.getOrDefault(p.partition(), 0L)) {
                if (p.row() == null) {
                    state.remove(p.id());
                } else {
                    state.put(p.id(), p.row().canonical());
                }
            }
        }
        return state;
    }

    Map<Long, Map<String, String>> currentState() {
        return stateAt(endOffsets());
    }

    static Map<Integer, Long> copy(Map<Integer, Long> offsets) {
        return new HashMap<>(offsets);
    }

    @Override
    public void close() {
        producer.close();
    }
}
