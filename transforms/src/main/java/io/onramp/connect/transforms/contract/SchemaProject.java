package io.onramp.connect.transforms.contract;

import io.onramp.connect.core.InvalidRecordHandler;
import io.onramp.connect.core.config.KeyedConfigException;
import io.onramp.connect.core.contract.CompatibilityChecker;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.core.contract.Violation;
import io.onramp.connect.core.schema.AvroSchemaMapper;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.transforms.OnrampTransform;
import io.onramp.connect.transforms.TransformMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Projects record values onto a target contract version. See {@link #OVERVIEW_DOC}. */
public class SchemaProject<R extends ConnectRecord<R>> extends OnrampTransform<R> {

    public static final String OVERVIEW_DOC = "Projects each record value onto the configured contract version with"
            + " Avro's schema-resolution rules: fields the target lacks are dropped, fields the record lacks take the"
            + " target's default, renames are followed through the target field's aliases, and numbers are promoted"
            + " (int to long to float to double). With ProductTopic, two connectors over one source feed v1 and v2"
            + " of a product during its upgrade window. Records that cannot be projected are handled per "
            + InvalidRecordHandler.ON_INVALID + ".";

    public static final String SOURCE_VERSION = "source.version";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaProject.class);

    public static final ConfigDef CONFIG_DEF = TransformMetrics.defineConnectorName(ContractConfig.define(InvalidRecordHandler.define(new ConfigDef(),
                    "Projection", "cannot be projected onto the target version")
            .define(SOURCE_VERSION, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "The contract version the incoming records follow (with " + ContractConfig.DIR + "). When set,"
                            + " the target version (" + ContractConfig.VERSION + ") must be able to read it by Avro's"
                            + " rules, checked at configure time; 0 means records are projected by field name.",
                    "Projection", 3, Width.SHORT, "Source version")), "Projection", 4);

    private Projector projector;
    private InvalidRecordHandler invalid;
    private Counter projected;
    private Cache<Schema, UnaryOperator<Object>> compiled;
    private volatile Last last;

    /** The plan used for the previous record: the common case, which spares hashing a whole schema per record. */
    private record Last(Schema schema, UnaryOperator<Object> fn) {
    }

    public SchemaProject() {
        super(CONFIG_DEF);
    }

    /** Across keys: the target contract must be found, and able to read {@value #SOURCE_VERSION} when set. */
    @Override
    protected void load(AbstractConfig config) {
        Contract target = ContractConfig.load(config);
        int sourceVersion = config.getInt(SOURCE_VERSION);
        if (sourceVersion > 0) {
            if (config.getString(ContractConfig.DIR) == null) {
                throw new KeyedConfigException(SOURCE_VERSION, SOURCE_VERSION + " needs " + ContractConfig.DIR
                        + " to find the source version.");
            }
            Contract source = ContractConfig.version(ContractConfig.directory(config), config, sourceVersion);
            var problems = CompatibilityChecker.readerWriter(target.schema(), source.schema());
            if (!problems.isEmpty()) {
                throw new ConfigException(SOURCE_VERSION, sourceVersion, target + " cannot read records of " + source + ": "
                        + problems.stream().map(Incompatibility::getMessage).collect(Collectors.joining("; ")) + " (at "
                        + problems.stream().map(Incompatibility::getLocation).collect(Collectors.joining(", ")) + ").");
            }
        }
        var metrics = newMetrics("Onramp SchemaProject transform");
        projected = metrics.counter("RecordsProjected", "Records projected onto the target version");
        projector = new Projector(target.schema(), AvroSchemaMapper.toConnectSchema(target.schema()));
        invalid = new InvalidRecordHandler(config.getString(InvalidRecordHandler.ON_INVALID),
                config.getString(InvalidRecordHandler.QUARANTINE_SUFFIX), LOG, "cannot be projected onto " + target, metrics);
        compiled = new SynchronizedCache<>(new LRUCache<>(16));
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value == null) {
            return record;
        }
        try {
            if (record.valueSchema() == null) {
                if (!(value instanceof Map<?, ?>)) {
                    throw new DataException("Only Map objects supported in absence of schema for schema projection, found: "
                            + value.getClass().getName());
                }
                R projectedRecord = newRecord(record, null, projector.projectSchemaless(value));
                projected.increment();
                return projectedRecord;
            }
            if (!(value instanceof Struct)) {
                throw new DataException("Only Struct objects supported for schema projection, found: "
                        + value.getClass().getName());
            }
            R projectedRecord = newRecord(record, projector.target(), plan(record.valueSchema()).apply(value));
            projected.increment();
            return projectedRecord;
        } catch (Projector.ProjectionException e) {
            return invalid.handle(record, e.violation());
        } catch (ClassCastException | DataException e) {
            return invalid.handle(record, new Violation("<root>", "type", "The record value does not fit the target"
                    + " contract: " + e.getMessage()));
        }
    }

    private UnaryOperator<Object> plan(Schema schema) {
        Last previous = last;
        if (previous != null && previous.schema() == schema) {
            return previous.fn();
        }
        UnaryOperator<Object> fn = compiled.get(schema);
        if (fn == null) {
            fn = projector.compile(schema);
            compiled.put(schema, fn);
        }
        last = new Last(schema, fn);
        return fn;
    }

    private R newRecord(R record, Schema schema, Object value) {
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                schema, value, record.timestamp(), record.headers());
    }

    @Override
    protected void release() {
        compiled = null;
        last = null;
    }
}
