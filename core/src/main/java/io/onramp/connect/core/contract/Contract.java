package io.onramp.connect.core.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;

/**
 * A data-product contract: one version of a product's Avro record schema plus product metadata.
 *
 * <p>A contract is a plain {@code .avsc} file any Avro tool reads; the metadata are extra schema
 * properties. On the top-level record:
 * <ul>
 *   <li>{@value #DOMAIN} (string) and {@value #PRODUCT} (string): the product's name. When absent
 *       they are taken from the directory layout {@code <domain>/<product>/v<N>.avsc}.</li>
 *   <li>{@value #OWNER} (string): the owning team; {@code doc} is the description
 *       ({@value #DESCRIPTION} overrides it).</li>
 *   <li>{@value #KEY_FIELDS} (array of field names): the record's key.</li>
 *   <li>{@value #COMPATIBILITY} (string): one of {@link CompatibilityMode}; default BACKWARD.</li>
 *   <li>{@value #VERSION} (integer): the version; when absent it comes from the file name {@code v<N>.avsc}.</li>
 *   <li>{@value #DEPRECATED} (boolean) and {@value #SUNSET} (ISO date {@code yyyy-MM-dd}): this version
 *       is in its upgrade window and will be retired on the sunset date.</li>
 * </ul>
 * On any field (nested records, array items and map values included):
 * <ul>
 *   <li>{@value #FIELD_CLASSIFICATION}: a string or array of strings, e.g. {@code "pii"}.</li>
 *   <li>{@value #FIELD_RULES}: an object with any of {@code required} (boolean), {@code min},
 *       {@code max} (numbers), {@code pattern} (regular expression, matched in full), {@code enum}
 *       (array), {@code maxLength} (integer). See {@link FieldRules}.</li>
 * </ul>
 * Instances are immutable and are built once, at configure time.
 */
public final class Contract {

    public static final String DOMAIN = "onramp.domain";
    public static final String PRODUCT = "onramp.product";
    public static final String OWNER = "onramp.owner";
    public static final String DESCRIPTION = "onramp.description";
    public static final String KEY_FIELDS = "onramp.keyFields";
    public static final String COMPATIBILITY = "onramp.compatibility";
    public static final String VERSION = "onramp.version";
    public static final String DEPRECATED = "onramp.deprecated";
    public static final String SUNSET = "onramp.sunset";
    public static final String FIELD_CLASSIFICATION = "onramp.classification";
    public static final String FIELD_RULES = "onramp.rules";

    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    private final Schema schema;
    private final String domain;
    private final String product;
    private final int version;
    private final String owner;
    private final String description;
    private final List<String> keyFields;
    private final CompatibilityMode compatibility;
    private final boolean deprecated;
    private final LocalDate sunset;
    private final Map<String, FieldContract> fields;
    private final String fingerprint;
    private final String source;

    private Contract(Schema schema, String domain, String product, int version, String source) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new ContractException("Contract " + source + " is not an Avro record schema.");
        }
        this.schema = schema;
        this.source = source;
        this.domain = require(stringProp(DOMAIN, domain), DOMAIN);
        this.product = require(stringProp(PRODUCT, product), PRODUCT);
        Object v = schema.getObjectProp(VERSION);
        this.version = v == null ? version : intValue(v, VERSION);
        if (this.version < 1) {
            throw new ContractException("Contract " + source + " has no version: name the file v<N>.avsc or set '"
                    + VERSION + "'.");
        }
        this.owner = stringProp(OWNER, null);
        this.description = stringProp(DESCRIPTION, schema.getDoc());
        this.keyFields = stringList(schema.getObjectProp(KEY_FIELDS), KEY_FIELDS);
        for (String key : keyFields) {
            if (schema.getField(key) == null) {
                throw new ContractException("Contract " + source + " names key field '" + key
                        + "' in '" + KEY_FIELDS + "', but the record has no such field.");
            }
        }
        String mode = stringProp(COMPATIBILITY, null);
        this.compatibility = mode == null ? CompatibilityMode.BACKWARD : parseMode(mode);
        Object dep = schema.getObjectProp(DEPRECATED);
        this.deprecated = Boolean.TRUE.equals(dep) || "true".equalsIgnoreCase(String.valueOf(dep));
        this.sunset = parseDate(stringProp(SUNSET, null));
        var collected = new LinkedHashMap<String, FieldContract>();
        collectFields(schema, "", collected);
        this.fields = Collections.unmodifiableMap(collected);
        this.fingerprint = String.format("%016x", SchemaNormalization.parsingFingerprint64(schema));
    }

    /** Parses contract JSON; {@code domain}, {@code product} and {@code version} are fallbacks for absent properties. */
    public static Contract parse(String json, String domain, String product, int version, String source) {
        try {
            return new Contract(new Schema.Parser().parse(json), domain, product, version, source);
        } catch (SchemaParseException e) {
            throw new ContractException("Contract " + source + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one contract file. Properties the schema does not set come from the layout
     * {@code <domain>/<product>/v<N>.avsc} when the file follows it.
     */
    public static Contract load(Path file) {
        Path abs = file.toAbsolutePath();
        Path productDir = abs.getParent();
        Path domainDir = productDir == null ? null : productDir.getParent();
        boolean laidOut = versionFromFileName(file) > 0 && domainDir != null && domainDir.getFileName() != null;
        return load(file, laidOut ? domainDir.getFileName().toString() : null,
                laidOut ? productDir.getFileName().toString() : null);
    }

    static Contract load(Path file, String domain, String product) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new ContractException("Cannot read contract file " + file + ": " + e.getMessage(), e);
        }
        return parse(json, domain, product, versionFromFileName(file), file.toString());
    }

    /** The N of {@code v<N>.avsc}, or -1 if the name does not follow the convention. */
    static int versionFromFileName(Path file) {
        Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    public Schema schema() {
        return schema;
    }

    public String domain() {
        return domain;
    }

    public String product() {
        return product;
    }

    /** {@code <domain>.<product>}. */
    public String productId() {
        return domain + "." + product;
    }

    public int version() {
        return version;
    }

    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    public List<String> keyFields() {
        return keyFields;
    }

    public CompatibilityMode compatibility() {
        return compatibility;
    }

    public boolean deprecated() {
        return deprecated;
    }

    public Optional<LocalDate> sunset() {
        return Optional.ofNullable(sunset);
    }

    /** Every field of the record tree, by path, in schema order. */
    public Map<String, FieldContract> fields() {
        return fields;
    }

    /** The paths of the fields classified {@code classification} (case-insensitive). */
    public List<String> fieldsClassified(String classification) {
        return fields.values().stream().filter(f -> f.isClassified(classification)).map(FieldContract::path).toList();
    }

    /** The distinct classifications used by any field, sorted. */
    public Set<String> classifications() {
        var all = new TreeSet<String>();
        fields.values().forEach(f -> all.addAll(f.classifications()));
        return all;
    }

    /** The CRC-64-AVRO fingerprint of the schema's Parsing Canonical Form, as 16 hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Where the contract was read from, for messages. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return productId() + " v" + version;
    }

    private void collectFields(Schema record, String prefix, Map<String, FieldContract> out) {
        for (Schema.Field f : record.getFields()) {
            String path = prefix + f.name();
            out.put(path, new FieldContract(path, f.schema(),
                    classifications(f.getObjectProp(FIELD_CLASSIFICATION), path),
                    FieldRules.parse(path, f.getObjectProp(FIELD_RULES))));
            collectNested(f.schema(), path, out, new ArrayList<>());
        }
    }

    private void collectNested(Schema s, String path, Map<String, FieldContract> out, List<Schema> seen) {
        if (seen.contains(s)) {
            return; // recursive types: each record is walked once per branch
        }
        seen.add(s);
        switch (s.getType()) {
            case RECORD -> collectFields(s, path + ".", out);
            case ARRAY -> collectNested(s.getElementType(), path, out, seen);
            case MAP -> collectNested(s.getValueType(), path + ".*", out, seen);
            case UNION -> s.getTypes().forEach(t -> collectNested(t, path, out, seen));
            default -> { }
        }
    }

    private Set<String> classifications(Object prop, String path) {
        return stringList(prop, FIELD_CLASSIFICATION + " of field '" + path + "'").stream()
                .map(c -> c.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private List<String> stringList(Object prop, String what) {
        if (prop == null) {
            return List.of();
        }
        if (prop instanceof String s) {
            return List.of(s);
        }
        if (prop instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        throw new ContractException("Contract " + source + ": '" + what + "' must be a string or an array of strings.");
    }

    private String stringProp(String name, String fallback) {
        Object v = schema.getObjectProp(name);
        return v == null ? fallback : String.valueOf(v);
    }

    private String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new ContractException("Contract " + source + " has no '" + name
                    + "' property and its location does not follow <domain>/<product>/v<N>.avsc.");
        }
        return value;
    }

    private int intValue(Object v, String name) {
        try {
            return Integer.parseInt(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new ContractException("Contract " + source + ": '" + name + "' must be an integer.");
        }
    }

    private CompatibilityMode parseMode(String mode) {
        try {
            return CompatibilityMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new ContractException("Contract " + source + ": " + e.getMessage());
        }
    }

    private LocalDate parseDate(String date) {
        try {
            return date == null ? null : LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new ContractException("Contract " + source + ": '" + SUNSET + "' must be an ISO date (yyyy-MM-dd).");
        }
    }
}
