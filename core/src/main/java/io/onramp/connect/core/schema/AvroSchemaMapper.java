package io.onramp.connect.core.schema;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps an Avro contract schema to the Connect schema of the records built from it; names and
 * parameters of the logical types are listed in {@link OnrampSchemas}.
 *
 * <p>A field whose type is a record keeps the record's shared schema instance (so structs built
 * from it validate everywhere); its field-level doc and default are therefore not carried.
 */
public final class AvroSchemaMapper {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private AvroSchemaMapper() {
    }

    /** Parses an {@code .avsc} contract file and maps it; any problem is a {@link ConfigException} naming the file. */
    public static Schema fromContractFile(Path avsc) {
        return toConnectSchema(parseContractFile(avsc));
    }

    /**
     * Parses an {@code .avsc} contract file without mapping it, for readers that need the Avro field properties
     * (e.g. a fixed-width layout); any problem is a {@link ConfigException} naming the file.
     */
    public static org.apache.avro.Schema parseContractFile(Path avsc) {
        try {
            return new org.apache.avro.Schema.Parser().parse(avsc.toFile());
        } catch (IOException e) {
            throw new ConfigException("Cannot read the contract file " + avsc + ": " + e.getMessage());
        } catch (AvroRuntimeException e) {
            throw new ConfigException("The contract file " + avsc + " is not a valid Avro schema: " + e.getMessage());
        }
    }

    /** Maps a parsed Avro schema; every struct is built once per call and shared where the contract reuses a record. */
    public static Schema toConnectSchema(org.apache.avro.Schema avro) {
        return new Mapping().map(avro, "", null);
    }

    private static String where(String path) {
        return path.isEmpty() ? "<root>" : path;
    }

    /** State of one mapping run: records already built, and those being built (to detect recursion). */
    private static final class Mapping {
        private final Map<String, Schema> records = new HashMap<>();
        private final Map<String, Schema> optionalRecords = new HashMap<>();
        private final Set<String> inProgress = new HashSet<>();

        Schema map(org.apache.avro.Schema avro, String path, org.apache.avro.Schema.Field field) {
            var type = avro;
            boolean optional = false;
            if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
                type = nonNullBranch(avro, path);
                optional = true;
            }
            if (type.getType() == org.apache.avro.Schema.Type.RECORD) {
                return optional ? optionalRecord(type, path) : record(type, path);
            }
            SchemaBuilder builder = builder(type, path);
            if (optional) {
                builder.optional();
            }
            if (field != null) {
                if (field.doc() != null) {
                    builder.doc(field.doc());
                }
                if (field.hasDefaultValue()) {
                    applyDefault(builder, field, path);
                }
            }
            return builder.build();
        }

        private org.apache.avro.Schema nonNullBranch(org.apache.avro.Schema union, String path) {
            List<org.apache.avro.Schema> types = union.getTypes();
            if (types.size() == 2) {
                boolean firstNull = types.get(0).getType() == org.apache.avro.Schema.Type.NULL;
                boolean secondNull = types.get(1).getType() == org.apache.avro.Schema.Type.NULL;
                if (firstNull != secondNull) {
                    return firstNull ? types.get(1) : types.get(0);
                }
            }
            throw new ConfigException("Field '" + where(path) + "' has the union type " + union
                    + "; unions other than [null, T] are not supported");
        }

        private Schema record(org.apache.avro.Schema avro, String path) {
            String name = avro.getFullName();
            Schema done = records.get(name);
            if (done != null) {
                return done;
            }
            if (!inProgress.add(name)) {
                throw new ConfigException("Field '" + where(path) + "' refers back to the enclosing record " + name
                        + "; recursive records are not supported");
            }
            SchemaBuilder builder = SchemaBuilder.struct().name(name);
            if (avro.getDoc() != null) {
                builder.doc(avro.getDoc());
            }
            for (var field : avro.getFields()) {
                String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                builder.field(field.name(), map(field.schema(), fieldPath, field));
            }
            Schema schema = builder.build();
            inProgress.remove(name);
            records.put(name, schema);
            return schema;
        }

        private Schema optionalRecord(org.apache.avro.Schema avro, String path) {
            Schema done = optionalRecords.get(avro.getFullName());
            if (done != null) {
                return done;
            }
            Schema required = record(avro, path);
            SchemaBuilder builder = SchemaBuilder.struct().name(required.name()).optional();
            if (required.doc() != null) {
                builder.doc(required.doc());
            }
            for (Field f : required.fields()) {
                builder.field(f.name(), f.schema());
            }
            Schema schema = builder.build();
            optionalRecords.put(avro.getFullName(), schema);
            return schema;
        }

        private SchemaBuilder builder(org.apache.avro.Schema avro, String path) {
            SchemaBuilder logical = logicalBuilder(avro, path);
            if (logical != null) {
                return logical;
            }
            return switch (avro.getType()) {
                case STRING -> SchemaBuilder.string();
                case INT -> SchemaBuilder.int32();
                case LONG -> SchemaBuilder.int64();
                case FLOAT -> SchemaBuilder.float32();
                case DOUBLE -> SchemaBuilder.float64();
                case BOOLEAN -> SchemaBuilder.bool();
                case BYTES -> SchemaBuilder.bytes();
                case FIXED -> SchemaBuilder.bytes().parameter(OnrampSchemas.FIXED_SIZE, Integer.toString(avro.getFixedSize()));
                case ENUM -> enumBuilder(avro);
                case ARRAY -> SchemaBuilder.array(map(avro.getElementType(), path + "[]", null));
                case MAP -> SchemaBuilder.map(Schema.STRING_SCHEMA, map(avro.getValueType(), path + "[]", null));
                case UNION -> throw new ConfigException("Field '" + where(path) + "' has a nested union " + avro
                        + "; unions other than [null, T] are not supported");
                case NULL -> throw new ConfigException("Field '" + where(path) + "' has the type null, which Connect cannot represent");
                case RECORD -> throw new IllegalStateException("records are mapped by record()");
            };
        }

        private static SchemaBuilder enumBuilder(org.apache.avro.Schema avro) {
            SchemaBuilder builder = SchemaBuilder.string().name(avro.getFullName())
                    .parameter(OnrampSchemas.ENUM_SYMBOLS, String.join(",", avro.getEnumSymbols()));
            if (avro.getDoc() != null) {
                builder.doc(avro.getDoc());
            }
            return builder;
        }

        /** Null when the type has no logical type Onramp maps (unknown logical types fall back to the base type, per the Avro spec). */
        private static SchemaBuilder logicalBuilder(org.apache.avro.Schema avro, String path) {
            LogicalType logical = avro.getLogicalType();
            String declared = avro.getProp(LogicalType.LOGICAL_TYPE_PROP);
            if (logical == null) {
                // Avro drops an invalid decimal silently; mapping it to raw bytes would lose its meaning.
                if ("decimal".equals(declared)) {
                    throw new ConfigException("Field '" + where(path) + "' declares an invalid decimal (check precision, scale and fixed size)");
                }
                return null;
            }
            if (logical instanceof LogicalTypes.Decimal decimal) {
                return Decimal.builder(decimal.getScale())
                        .parameter(OnrampSchemas.DECIMAL_PRECISION, Integer.toString(decimal.getPrecision()));
            }
            return switch (logical.getName()) {
                case "date" -> Date.builder();
                case "time-millis" -> Time.builder();
                case "timestamp-millis", "local-timestamp-millis" -> Timestamp.builder();
                case "time-micros" -> SchemaBuilder.int64().name(OnrampSchemas.MICRO_TIME);
                case "timestamp-micros", "local-timestamp-micros" -> SchemaBuilder.int64().name(OnrampSchemas.MICRO_TIMESTAMP);
                case "timestamp-nanos", "local-timestamp-nanos" -> SchemaBuilder.int64().name(OnrampSchemas.NANO_TIMESTAMP);
                case "uuid" -> avro.getType() == org.apache.avro.Schema.Type.STRING
                        ? SchemaBuilder.string().name(OnrampSchemas.UUID) : null;
                case "big-decimal" -> throw new ConfigException("Field '" + path
                        + "' uses big-decimal, whose scale varies per value; declare a decimal with precision and scale instead");
                default -> null;
            };
        }

        private static void applyDefault(SchemaBuilder builder, org.apache.avro.Schema.Field field, String path) {
            Object avroDefault = GenericData.get().getDefaultValue(field);
            if (avroDefault == null) {
                return; // [null, T] defaulting to null: optional already says that
            }
            try {
                builder.defaultValue(DefaultValues.toConnect(avroDefault, builder));
            } catch (DataException | ClassCastException | ArithmeticException e) {
                throw new ConfigException("Field '" + where(path) + "' has a default that Connect cannot represent: " + e.getMessage());
            }
        }
    }

    /** Converts Avro generic data (as Avro decodes a field default) to the Connect value for a schema. */
    private static final class DefaultValues {

        static Object toConnect(Object datum, Schema schema) {
            if (datum == null) {
                return null;
            }
            String name = schema.name();
            if (Decimal.LOGICAL_NAME.equals(name)) {
                int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                return new BigDecimal(new BigInteger(bytes(datum)), scale);
            }
            if (Date.LOGICAL_NAME.equals(name)) {
                return new java.util.Date(((Integer) datum) * MILLIS_PER_DAY);
            }
            if (Time.LOGICAL_NAME.equals(name)) {
                return new java.util.Date((Integer) datum);
            }
            if (Timestamp.LOGICAL_NAME.equals(name)) {
                return new java.util.Date((Long) datum);
            }
            return switch (schema.type()) {
                case STRING -> datum.toString();
                case BYTES -> bytes(datum);
                case STRUCT -> struct((GenericRecord) datum, schema);
                case ARRAY -> {
                    var list = new ArrayList<>();
                    for (Object element : (Collection<?>) datum) {
                        list.add(toConnect(element, schema.valueSchema()));
                    }
                    yield list;
                }
                case MAP -> {
                    var map = new LinkedHashMap<String, Object>();
                    for (var entry : ((Map<?, ?>) datum).entrySet()) {
                        map.put(entry.getKey().toString(), toConnect(entry.getValue(), schema.valueSchema()));
                    }
                    yield map;
                }
                default -> datum; // Integer, Long, Float, Double, Boolean already match Connect's types
            };
        }

        private static Struct struct(GenericRecord record, Schema schema) {
            var struct = new Struct(schema);
            for (Field f : schema.fields()) {
                struct.put(f, toConnect(record.get(f.name()), f.schema()));
            }
            return struct;
        }

        private static byte[] bytes(Object datum) {
            if (datum instanceof GenericFixed fixed) {
                return fixed.bytes().clone();
            }
            ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        }
    }
}
