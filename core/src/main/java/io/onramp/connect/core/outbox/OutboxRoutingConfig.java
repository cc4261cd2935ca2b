package io.onramp.connect.core.outbox;

import io.onramp.connect.core.config.ConfigValidators;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.core.contract.ContractDirectory;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The routing keys shared by the {@code OutboxRouter} transform and the outbox source connector, named as in
 * Debezium's EventRouter where the meaning is the same, plus the contract keys ({@link ContractConfig}).
 * {@link #define} adds them to a plugin's ConfigDef (each with a validator that runs the parser the router uses);
 * {@link #router} builds the {@link OutboxRouting} from the parsed config.
 *
 * <p>Contracts: {@code contract.file}, or {@code contract.dir} with {@code contract.domain} and
 * {@code contract.product}, types every payload by one contract; {@code contract.dir} with {@code contract.domain}
 * but no {@code contract.product} types each aggregate type's payloads by the product named like the aggregate
 * type ({@code <dir>/<domain>/<aggregate type>/v<N>.avsc}), and an aggregate type without one is a violation.
 */
public final class OutboxRoutingConfig {

    public static final String GROUP = "Outbox routing";

    public static final String EVENT_ID = "table.field.event.id";
    public static final String EVENT_KEY = "table.field.event.key";
    public static final String EVENT_TYPE = "table.field.event.type";
    public static final String EVENT_PAYLOAD = "table.field.event.payload";
    public static final String EVENT_TIMESTAMP = "table.field.event.timestamp";
    public static final String ADDITIONAL_PLACEMENT = "table.fields.additional.placement";
    public static final String EXPAND_JSON_PAYLOAD = "table.expand.json.payload";
    public static final String ROUTE_BY_FIELD = "route.by.field";
    public static final String ROUTE_TOPIC_REGEX = "route.topic.regex";
    public static final String ROUTE_TOPIC_REPLACEMENT = "route.topic.replacement";
    public static final String ROUTE_TOPIC_PATTERN = "route.topic.pattern";
    public static final String ROUTE_DOMAIN = "route.domain";
    public static final String ROUTE_TOMBSTONE_ON_EMPTY_PAYLOAD = "route.tombstone.on.empty.payload";

    public static final String DEFAULT_REGEX = "(?<routedByValue>.*)";
    public static final String DEFAULT_REPLACEMENT = "outbox.event.${routedByValue}";

    private OutboxRoutingConfig() {
    }

    /** Adds the routing keys and the contract keys to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        int order = 0;
        def.define(EVENT_ID, Type.STRING, "id", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "The outbox column holding the event id; it goes to the header '" + OutboxRouting.EVENT_ID_HEADER
                                + "' of every event, for consumers' de-duplication.",
                        GROUP, ++order, Width.MEDIUM, "Event id column")
                .define(EVENT_KEY, Type.STRING, "aggregateid", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "The outbox column holding the aggregate id: the event's key.",
                        GROUP, ++order, Width.MEDIUM, "Event key column")
                .define(EVENT_TYPE, Type.STRING, "type", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "The outbox column holding the event type; fills ${type} in " + ROUTE_TOPIC_PATTERN
                                + " (a row without this column has no type).",
                        GROUP, ++order, Width.MEDIUM, "Event type column")
                .define(EVENT_PAYLOAD, Type.STRING, "payload", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "The outbox column holding the event payload (JSON text, jsonb, or UTF-8 bytes).",
                        GROUP, ++order, Width.MEDIUM, "Event payload column")
                .define(EVENT_TIMESTAMP, Type.STRING, null, Importance.MEDIUM,
                        "The outbox column holding the event time, which becomes the record timestamp (timestamp types,"
                                + " Debezium's Timestamp/MicroTimestamp/NanoTimestamp/ZonedTimestamp, epoch milliseconds or"
                                + " ISO-8601 text). Unset or null: the change event's ts_ms, or the time the row was read.",
                        GROUP, ++order, Width.MEDIUM, "Event timestamp column")
                .define(ADDITIONAL_PLACEMENT, Type.LIST, "", placementValidator(), Importance.HIGH,
                        "Other outbox columns to carry, as column:placement[:alias] entries: 'header' adds a header"
                                + " named alias, 'envelope' makes the value a struct of 'payload' and the alias fields,"
                                + " 'partition' takes the record's partition from the (integer) column."
                                + " Example: type:header:eventType,tenant:envelope,shard:partition.",
                        GROUP, ++order, Width.LONG, "Additional columns")
                .define(EXPAND_JSON_PAYLOAD, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Parse a JSON text payload into a Struct with an inferred schema (the same schema for the same"
                                + " shape, whatever the property order). A payload that is not JSON is then an invalid"
                                + " record, never passed on as a string. With a contract configured, payloads are always"
                                + " parsed and typed by the contract.",
                        GROUP, ++order, Width.SHORT, "Expand JSON payload")
                .define(ROUTE_BY_FIELD, Type.STRING, "aggregatetype", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "The outbox column whose value routes the event (the aggregate type): ${routedByValue} in "
                                + ROUTE_TOPIC_REPLACEMENT + ", ${aggregate} in " + ROUTE_TOPIC_PATTERN + ".",
                        GROUP, ++order, Width.MEDIUM, "Route by column")
                .define(ROUTE_TOPIC_REGEX, Type.STRING, DEFAULT_REGEX, ConfigDef.CompositeValidator.of(
                                new ConfigDef.NonEmptyString(), ConfigValidators.regex()), Importance.LOW,
                        "A regular expression matched against the whole " + ROUTE_BY_FIELD + " value; a value that"
                                + " matches becomes " + ROUTE_TOPIC_REPLACEMENT + ", one that does not is the topic as it is.",
                        GROUP, ++order, Width.MEDIUM, "Topic regex")
                .define(ROUTE_TOPIC_REPLACEMENT, Type.STRING, DEFAULT_REPLACEMENT, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "The topic of a routed event: a regex replacement over " + ROUTE_TOPIC_REGEX
                                + ", with ${routedByValue} the value of " + ROUTE_BY_FIELD + ".",
                        GROUP, ++order, Width.MEDIUM, "Topic replacement")
                .define(ROUTE_TOPIC_PATTERN, Type.STRING, null, patternValidator(), Importance.HIGH,
                        "Instead of " + ROUTE_TOPIC_REGEX + "/" + ROUTE_TOPIC_REPLACEMENT + ": a topic template with the"
                                + " placeholders ${aggregate} (the " + ROUTE_BY_FIELD + " value), ${type} (the event type),"
                                + " ${domain} (the contract's domain, else " + ROUTE_DOMAIN + ") and ${version} (the"
                                + " contract's version), e.g. ${domain}.${aggregate}.events.",
                        GROUP, ++order, Width.MEDIUM, "Topic pattern")
                .define(ROUTE_DOMAIN, Type.STRING, null, Importance.LOW,
                        "The ${domain} of " + ROUTE_TOPIC_PATTERN + " when no contract gives one.",
                        GROUP, ++order, Width.SHORT, "Domain")
                .define(ROUTE_TOMBSTONE_ON_EMPTY_PAYLOAD, Type.BOOLEAN, false, Importance.HIGH,
                        "Emit a tombstone (null value, the aggregate id as key) for a row whose payload is null or"
                                + " blank, e.g. to delete an aggregate from a compacted topic.",
                        GROUP, ++order, Width.SHORT, "Tombstone on empty payload");
        return ContractConfig.define(def);
    }

    /** Builds the router from a config whose ConfigDef went through {@link #define}. */
    public static OutboxRouting router(AbstractConfig config) {
        String pattern = config.getString(ROUTE_TOPIC_PATTERN);
        var topics = new TopicRoute(config.getString(ROUTE_TOPIC_REGEX), config.getString(ROUTE_TOPIC_REPLACEMENT),
                pattern == null || pattern.isBlank() ? null : pattern);
        List<AdditionalField> additional;
        try {
            additional = AdditionalField.parseAll(config.getList(ADDITIONAL_PLACEMENT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ADDITIONAL_PLACEMENT, config.getList(ADDITIONAL_PLACEMENT), e.getMessage());
        }
        String payload = config.getString(EVENT_PAYLOAD);
        PayloadReader reader = contracts(config, payload, config.getBoolean(EXPAND_JSON_PAYLOAD));
        return new OutboxRouting(config.getString(EVENT_ID), config.getString(EVENT_KEY), config.getString(EVENT_TYPE),
                payload, config.getString(EVENT_TIMESTAMP), config.getString(ROUTE_BY_FIELD), topics,
                config.getString(ROUTE_DOMAIN), additional, config.getBoolean(ROUTE_TOMBSTONE_ON_EMPTY_PAYLOAD), reader);
    }

    private static PayloadReader contracts(AbstractConfig config, String column, boolean expand) {
        if (!ContractConfig.isSet(config)) {
            return new PayloadReader(column, expand, null, false);
        }
        String dir = config.getString(ContractConfig.DIR);
        String product = config.getString(ContractConfig.PRODUCT);
        if (dir == null || (product != null && !product.isBlank())) {
            Contract one = ContractConfig.load(config);
            return new PayloadReader(column, true, aggregate -> Optional.of(one), false);
        }
        String domain = config.getString(ContractConfig.DOMAIN);
        if (config.getString(ContractConfig.FILE) != null) {
            throw new ConfigException("Set either " + ContractConfig.FILE + " or " + ContractConfig.DIR + ", not both.");
        }
        if (domain == null || domain.isBlank()) {
            throw new ConfigException(ContractConfig.DOMAIN + " must be set when " + ContractConfig.DIR + " is used.");
        }
        ContractDirectory directory = ContractConfig.directory(config);
        int version = config.getInt(ContractConfig.VERSION);
        Function<String, Optional<Contract>> byAggregate = aggregate -> {
            try {
                return Optional.of(version == 0 ? directory.latest(domain, aggregate) : directory.version(domain, aggregate, version));
            } catch (NoSuchElementException e) {
                return Optional.empty();
            }
        };
        return new PayloadReader(column, true, byAggregate, true);
    }

    private static ConfigDef.Validator placementValidator() {
        return ConfigValidators.parsedList("a list of column:header|envelope|partition[:alias]", AdditionalField::parseAll);
    }

    private static ConfigDef.Validator patternValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null || value.toString().isBlank()) {
                    return;
                }
                String filled = TopicRoute.fill(value.toString(), "a", "t", "d", 1);
                if (filled.contains("${")) {
                    throw new ConfigException(name, value, "'" + name + "' has an unknown placeholder; use "
                            + String.join(", ", TopicRoute.PLACEHOLDERS) + ".");
                }
                String problem = ConfigValidators.topicNameProblem(filled);
                if (problem != null) {
                    throw new ConfigException(name, value, "'" + name + "' does not make a legal topic name: " + problem + ".");
                }
            }

            @Override
            public String toString() {
                return "a topic template with ${aggregate}, ${type}, ${domain}, ${version}";
            }
        };
    }
}
