package io.onramp.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Benchmarks only, a what-if for {@link JdbcSnapshotAnchorBenchmark}: JsonConverter with schemas writes the same
 * schema JSON into every record ({"schema":...,"payload":...}), serialising the schema's node tree each time. This
 * converter writes the same bytes, but the {"schema":...,"payload": part once per Schema instance: it is cut from
 * JsonConverter's own output for the first record of that schema, and every record gets that prefix, the payload
 * JsonConverter writes without schemas, and "}". The first {@link #CHECKED} records of each schema are also
 * converted the ordinary way and compared byte for byte; a difference fails the record.
 */
public final class EnvelopeCachingJsonConverter extends JsonConverter {

    static final int CHECKED = 1000;
    private static final byte[] SCHEMA_START = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAYLOAD_START = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

    private final JsonConverter payload = new JsonConverter();
    private final Map<Schema, byte[]> prefixes = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<Schema, Integer> checked = Collections.synchronizedMap(new IdentityHashMap<>());
    private boolean schemas = true;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        super.configure(configs, isKey);
        payload.configure(withoutSchemas(configs), isKey);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        payload.configure(withoutSchemas(configs));
    }

    private Map<String, Object> withoutSchemas(Map<String, ?> configs) {
        Object enabled = configs.get("schemas.enable");
        schemas = enabled == null || Boolean.parseBoolean(enabled.toString());
        Map<String, Object> copy = new HashMap<>(configs);
        copy.put("schemas.enable", "false");
        return copy;
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (!schemas || schema == null) {
            return super.fromConnectData(topic, schema, value);
        }
        byte[] body = payload.fromConnectData(topic, schema, value);
        byte[] prefix = prefixes.get(schema);
        if (prefix == null) {
            byte[] full = super.fromConnectData(topic, schema, value);
            prefix = prefixOf(full, body);
            if (prefix == null) {
                throw new DataException("JsonConverter's output is not {\"schema\":...,\"payload\":<payload>}");
            }
            prefixes.put(schema, prefix);
            return full;
        }
        byte[] out = Arrays.copyOf(prefix, prefix.length + body.length + 1);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        out[out.length - 1] = '}';
        if (checked.merge(schema, 1, Integer::sum) <= CHECKED && !Arrays.equals(out, super.fromConnectData(topic, schema, value))) {
            throw new DataException("the cached envelope differs from JsonConverter's output");
        }
        return out;
    }

    /** {"schema":...,"payload": of {@code full} when it is that, then {@code body}, then "}"; else null. */
    private static byte[] prefixOf(byte[] full, byte[] body) {
        int prefixLength = full.length - body.length - 1;
        if (prefixLength < SCHEMA_START.length + PAYLOAD_START.length || full[full.length - 1] != '}'
                || !Arrays.equals(full, prefixLength, full.length - 1, body, 0, body.length)
                || !Arrays.equals(full, 0, SCHEMA_START.length, SCHEMA_START, 0, SCHEMA_START.length)
                || !Arrays.equals(full, prefixLength - PAYLOAD_START.length, prefixLength, PAYLOAD_START, 0, PAYLOAD_START.length)) {
            return null;
        }
        return Arrays.copyOf(full, prefixLength);
    }
}
