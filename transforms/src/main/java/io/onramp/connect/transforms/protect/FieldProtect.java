package io.onramp.connect.transforms.protect;

import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.config.KeyedConfigException;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.transforms.OnrampTransform;
import io.onramp.connect.transforms.TransformMetrics;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Masks, redacts, truncates, generalizes or pseudonymizes fields by path. See {@link #OVERVIEW_DOC}.
 */
public abstract class FieldProtect<R extends ConnectRecord<R>> extends OnrampTransform<R> {

    public static final String OVERVIEW_DOC = "Protect sensitive fields by path: mask (type-preserving), redact"
            + " (null or empty), truncate, generalize (numbers to ranges, dates to month or year, strings to a prefix)"
            + " or hash (keyed HMAC-SHA256 pseudonym). Paths are field names joined by dots (customer.email);"
            + " arrays are traversed transparently (items.sku protects the sku of every element), '*' is every value"
            + " of a map (attrs.*). Fields come from '" + "fields" + "' and/or from a contract's classification."
            + "<p/>Use <code>" + FieldProtect.class.getName() + "$Key</code> or <code>"
            + FieldProtect.class.getName() + "$Value</code>.";

    public static final String FIELDS = "fields";
    public static final String CLASSIFICATION = "classification";
    public static final String CLASSIFICATION_MODE = "classification.mode";
    public static final String MASK_CHAR = "mask.char";
    public static final String MASK_REPLACEMENT = "mask.replacement";
    public static final String TRUNCATE_LENGTH = "truncate.length";
    public static final String BUCKET_WIDTH = "generalize.bucket.width";
    public static final String DATE_UNIT = "generalize.date.unit";
    public static final String PREFIX_LENGTH = "generalize.prefix.length";
    public static final String HASH_KEY = "hash.key";
    public static final String HASH_ENCODING = "hash.encoding";
    public static final String ON_MISSING_FIELD = "on.missing.field";

    private static final Logger LOG = LoggerFactory.getLogger(FieldProtect.class);

    private static final String MODES = "Modes";
    private static final String PURPOSE = "field protection";

    public static final ConfigDef CONFIG_DEF = ContractConfig.define(new ConfigDef()
            .define(FIELDS, Type.LIST, List.of(), fieldsValidator(), Importance.HIGH,
                    "Fields to protect as a list of path:mode, e.g. 'email:hash,ssn:mask,customer.phone:redact,"
                            + "items.sku:truncate,age:generalize,attrs.*:mask'. Modes: " + ProtectMode.names()
                            + ". These win over fields taken from the contract.", "Fields", 1, ConfigDef.Width.LONG, "Fields")
            .define(CLASSIFICATION, Type.STRING, "pii", Importance.MEDIUM,
                    "When a contract is configured, every field whose onramp.classification includes this value is"
                            + " protected with " + CLASSIFICATION_MODE + ".", "Fields", 2, ConfigDef.Width.SHORT, "Classification")
            .define(CLASSIFICATION_MODE, Type.STRING, "hash", ConfigDef.CaseInsensitiveValidString.in("mask", "redact",
                            "truncate", "generalize", "hash"), Importance.MEDIUM,
                    "The mode applied to the fields taken from the contract's classification.",
                    "Fields", 3, ConfigDef.Width.SHORT, "Classification mode")
            .define(MASK_CHAR, Type.STRING, "*", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "mask: strings become this character repeated to their length (its first character is used).",
                    MODES, 1, ConfigDef.Width.SHORT, "Mask character")
            .define(MASK_REPLACEMENT, Type.STRING, null, Importance.LOW,
                    "mask: when set, strings become this fixed text instead of " + MASK_CHAR + " repeated.",
                    MODES, 2, ConfigDef.Width.SHORT, "Mask replacement")
            .define(TRUNCATE_LENGTH, Type.INT, 4, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "truncate: strings keep at most this many characters.", MODES, 3, ConfigDef.Width.SHORT, "Truncate length")
            .define(BUCKET_WIDTH, Type.LONG, 10L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "generalize: numbers become the range of this width they fall in, as a string 'low-high'"
                            + " (width 10: 34 -> '30-39'); the field's schema becomes a string.",
                    MODES, 4, ConfigDef.Width.SHORT, "Bucket width")
            .define(DATE_UNIT, Type.STRING, "month", ConfigDef.CaseInsensitiveValidString.in("month", "year"), Importance.LOW,
                    "generalize: dates and timestamps become the first day (midnight UTC) of their month or year.",
                    MODES, 5, ConfigDef.Width.SHORT, "Date unit")
            .define(PREFIX_LENGTH, Type.INT, 3, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "generalize: strings keep this many leading characters (e.g. a postcode's district).",
                    MODES, 6, ConfigDef.Width.SHORT, "Prefix length")
            .define(HASH_KEY, Type.PASSWORD, null, Importance.HIGH,
                    "hash: the HMAC-SHA256 key; required when any field is hashed. Use a config provider"
                            + " (e.g. ${file:/etc/onramp/secrets.properties:hash.key}) so it is not stored in the connector"
                            + " config. The same key maps the same input to the same pseudonym, so joins keep working.",
                    MODES, 7, ConfigDef.Width.MEDIUM, "Hash key")
            .define(HASH_ENCODING, Type.STRING, "hex", ConfigDef.CaseInsensitiveValidString.in("hex", "base64"), Importance.LOW,
                    "hash: how the digest is written: hex (64 characters) or base64 (44 characters). Hashed fields"
                            + " of any type become strings.", MODES, 8, ConfigDef.Width.SHORT, "Hash encoding")
            .define(ON_MISSING_FIELD, Type.STRING, "fail", ConfigDef.CaseInsensitiveValidString.in("fail", "warn", "ignore"),
                    Importance.HIGH, "What a protected path that the record's schema does not have does (a typo, or a"
                            + " field renamed upstream): 'fail' stops the task naming the path, so personal data never"
                            + " flows unprotected in silence; 'warn' logs it once per schema at WARN and passes the record;"
                            + " 'ignore' passes it silently. Checked against record schemas (Structs); schemaless maps"
                            + " may omit any key.", "Fields", 4, ConfigDef.Width.SHORT, "On missing field"));

    static {
        TransformMetrics.defineConnectorName(CONFIG_DEF, "Fields", 5);
    }

    enum MissingFieldPolicy { FAIL, WARN, IGNORE }

    private ProtectPlan plan;
    private MissingFieldPolicy onMissing;
    private Counter recordsProtected;
    private Counter fieldsProtected;
    private Cache<Schema, ProtectPlan.Compiled> compiledCache;
    private volatile ProtectPlan.Compiled lastCompiled;

    protected FieldProtect() {
        super(CONFIG_DEF);
    }

    /** Across keys: a field to protect (listed or classified in the contract), the hash key when a field is hashed. */
    @Override
    protected void load(AbstractConfig config) {
        FieldPathTree tree = fieldTree(config);
        if (tree.isEmpty()) {
            throw new KeyedConfigException(FIELDS, "No field to protect: set '" + FIELDS
                    + "' or a contract whose fields are classified '" + config.getString(CLASSIFICATION) + "'.");
        }
        var metrics = newMetrics("Onramp FieldProtect transform");
        recordsProtected = metrics.counter("RecordsProtected", "Records that had at least one field protected");
        fieldsProtected = metrics.counter("FieldsProtected", "Field values protected (each array element counts)");
        onMissing = MissingFieldPolicy.valueOf(config.getString(ON_MISSING_FIELD).toUpperCase(Locale.ROOT));
        var options = new Protector.Options(config.getString(MASK_REPLACEMENT), config.getString(MASK_CHAR).charAt(0),
                config.getInt(TRUNCATE_LENGTH), config.getLong(BUCKET_WIDTH),
                "year".equalsIgnoreCase(config.getString(DATE_UNIT)), config.getInt(PREFIX_LENGTH),
                "base64".equalsIgnoreCase(config.getString(HASH_ENCODING)));
        plan = new ProtectPlan(tree, new Protector(options, usesHash(tree.root()) ? mac(config.getPassword(HASH_KEY)) : null,
                fieldsProtected));
        compiledCache = new SynchronizedCache<>(new LRUCache<>(16));
    }

    /** {@value #FIELDS} checked alone, with the parser configure() uses: path:mode entries that fit in one tree. */
    private static ConfigDef.Validator fieldsValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value instanceof List<?> entries) {
                    try {
                        addFields(new FieldPathTree(), entries);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(name, value, "'" + name + "': " + e.getMessage());
                    }
                }
            }

            @Override
            public String toString() {
                return "a list of path:mode, mode among " + ProtectMode.names();
            }
        };
    }

    private static void addFields(FieldPathTree tree, List<?> entries) {
        for (Object item : entries) {
            String entry = item.toString();
            int colon = entry.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + entry + "' is not path:mode with a mode among " + ProtectMode.names() + ".");
            }
            tree.add(entry.substring(0, colon).trim(), ProtectMode.parse(entry.substring(colon + 1)), true);
        }
    }

    private static FieldPathTree fieldTree(AbstractConfig config) {
        var tree = new FieldPathTree();
        try {
            addFields(tree, config.getList(FIELDS));
            if (ContractConfig.isSet(config)) {
                Contract contract = ContractConfig.load(config);
                ProtectMode mode = ProtectMode.parse(config.getString(CLASSIFICATION_MODE));
                for (String path : contract.fieldsClassified(config.getString(CLASSIFICATION))) {
                    tree.add(path, mode, false);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FIELDS, config.getList(FIELDS), e.getMessage());
        }
        return tree;
    }

    private static boolean usesHash(FieldPathTree.Node node) {
        return node.mode() == ProtectMode.HASH || node.children().values().stream().anyMatch(FieldProtect::usesHash);
    }

    private static Mac mac(Password key) {
        if (key == null || key.value().isEmpty()) {
            throw new KeyedConfigException(HASH_KEY, "'" + HASH_KEY + "' must be set when a field is protected with hash.");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot initialise HMAC-SHA256 for " + HASH_KEY + ": " + e.getClass().getSimpleName());
        }
    }

    @Override
    public R apply(R record) {
        long before = fieldsProtected.get();
        R result = protect(record);
        if (fieldsProtected.get() != before) {
            recordsProtected.increment();
        }
        return result;
    }

    private R protect(R record) {
        Object value = operatingValue(record);
        if (value == null) {
            return record;
        }
        Schema schema = operatingSchema(record);
        if (schema == null) {
            if (!(value instanceof Map<?, ?>)) {
                throw new DataException("Only Map objects supported in absence of schema for " + PURPOSE + ", found: "
                        + value.getClass().getName());
            }
            return newRecord(record, null, plan.applySchemaless(value));
        }
        if (!(value instanceof Struct)) {
            throw new DataException("Only Struct objects supported for " + PURPOSE + ", found: " + value.getClass().getName());
        }
        ProtectPlan.Compiled compiled = compiled(schema);
        return compiled.fn() == null ? record : newRecord(record, compiled.schema(), compiled.apply(value));
    }

    /**
     * The compiled plan for {@code schema}: the last one used when the schema is the same instance (the
     * common case, and it spares hashing a whole schema per record), else from the LRU cache.
     */
    private ProtectPlan.Compiled compiled(Schema schema) {
        ProtectPlan.Compiled last = lastCompiled;
        if (last != null && last.input() == schema) {
            return last;
        }
        ProtectPlan.Compiled compiled = compiledCache.get(schema);
        if (compiled == null) {
            checkPaths(schema);
            compiled = plan.compile(schema);
            compiledCache.put(schema, compiled);
        }
        lastCompiled = compiled;
        return compiled;
    }

    /** Applies {@value #ON_MISSING_FIELD} to the protected paths {@code schema} lacks; runs once per schema. */
    private void checkPaths(Schema schema) {
        if (onMissing == MissingFieldPolicy.IGNORE) {
            return;
        }
        List<String> missing = plan.missingPaths(schema);
        if (missing.isEmpty()) {
            return;
        }
        String what = "The record schema " + (schema.name() == null ? "" : "'" + schema.name() + "' ")
                + "has no field " + String.join(", ", missing.stream().map(p -> "'" + p + "'").toList())
                + " that " + FieldProtect.class.getSimpleName() + " is configured to protect";
        if (onMissing == MissingFieldPolicy.FAIL) {
            throw new DataException(what + " (rule " + ON_MISSING_FIELD + "=fail): fix the path in '" + FIELDS
                    + "' or the contract, or set " + ON_MISSING_FIELD + "=warn to pass such records.");
        }
        LOG.warn("{} (rule {}=warn): those records pass without that protection.", what, ON_MISSING_FIELD);
    }

    @Override
    protected void release() {
        compiledCache = null;
        lastCompiled = null;
    }

    protected abstract Schema operatingSchema(R record);

    protected abstract Object operatingValue(R record);

    protected abstract R newRecord(R record, Schema updatedSchema, Object updatedValue);

    /** Protects fields of the record key. */
    public static class Key<R extends ConnectRecord<R>> extends FieldProtect<R> {
        @Override
        protected Schema operatingSchema(R record) {
            return record.keySchema();
        }

        @Override
        protected Object operatingValue(R record) {
            return record.key();
        }

        @Override
        protected R newRecord(R record, Schema updatedSchema, Object updatedValue) {
            return record.newRecord(record.topic(), record.kafkaPartition(), updatedSchema, updatedValue,
                    record.valueSchema(), record.value(), record.timestamp(), record.headers());
        }
    }

    /** Protects fields of the record value. */
    public static class Value<R extends ConnectRecord<R>> extends FieldProtect<R> {
        @Override
        protected Schema operatingSchema(R record) {
            return record.valueSchema();
        }

        @Override
        protected Object operatingValue(R record) {
            return record.value();
        }

        @Override
        protected R newRecord(R record, Schema updatedSchema, Object updatedValue) {
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                    updatedSchema, updatedValue, record.timestamp(), record.headers());
        }
    }
}
