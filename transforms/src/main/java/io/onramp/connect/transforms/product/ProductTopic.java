package io.onramp.connect.transforms.product;

import io.onramp.connect.core.config.ConfigValidators;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.transforms.OnrampTransform;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Headers;

/** Routes records to the data product's versioned topic. See {@link #OVERVIEW_DOC}. */
public class ProductTopic<R extends ConnectRecord<R>> extends OnrampTransform<R> {

    public static final String OVERVIEW_DOC = "Routes every record to the product's versioned topic, by default"
            + " <domain>.<product>.v<major> from the contract. The topic name is computed and checked against"
            + " Kafka's topic-name rules once, at configure time. Records of a contract version marked"
            + " onramp.deprecated get the headers " + GovernanceHeaders.DEPRECATED + " and " + GovernanceHeaders.SUNSET + ".";

    public static final String TOPIC_PATTERN = "topic.pattern";
    public static final String DEPRECATION_HEADERS = "deprecation.headers";
    public static final String DEFAULT_PATTERN = "${domain}.${product}.v${major}";

    static final Set<String> VARIABLES = Set.of("domain", "product", "major");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final String GROUP = "Routing";

    public static final ConfigDef CONFIG_DEF = ContractConfig.define(new ConfigDef()
            .define(TOPIC_PATTERN, Type.STRING, DEFAULT_PATTERN, new PatternValidator(), Importance.MEDIUM,
                    "The topic name, with ${domain}, ${product} and ${major} (the contract version) filled from the"
                            + " contract. The result must be a legal Kafka topic name: at most 249 characters of"
                            + " [a-zA-Z0-9._-], not '.' or '..'.", GROUP, 1, Width.LONG, "Topic pattern")
            .define(DEPRECATION_HEADERS, Type.BOOLEAN, true, Importance.LOW,
                    "Whether records of a deprecated contract version get the " + GovernanceHeaders.DEPRECATED
                            + " and " + GovernanceHeaders.SUNSET + " headers.", GROUP, 2, Width.SHORT, "Deprecation headers"));

    private String topic;
    private boolean deprecated;
    private String sunset;

    public ProductTopic() {
        super(CONFIG_DEF);
    }

    /** Across keys: the contract must be found, and the topic it yields legal. */
    @Override
    protected void load(AbstractConfig config) {
        Contract contract = ContractConfig.load(config);
        topic = topicName(config.getString(TOPIC_PATTERN), contract);
        deprecated = config.getBoolean(DEPRECATION_HEADERS) && contract.deprecated();
        sunset = contract.sunset().map(Object::toString).orElse(null);
    }

    /** Fills {@code pattern} from {@code contract} and checks the result is a legal topic name. */
    static String topicName(String pattern, Contract contract) {
        Map<String, String> values = Map.of("domain", contract.domain(), "product", contract.product(),
                "major", Integer.toString(contract.version()));
        Matcher m = VARIABLE.matcher(pattern);
        var name = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(name, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(name);
        String topic = name.toString();
        String problem = topicProblem(topic);
        if (problem != null) {
            throw new ConfigException(TOPIC_PATTERN, pattern, "It yields the topic name '" + topic + "' for "
                    + contract + ", which Kafka refuses: " + problem + ".");
        }
        return topic;
    }

    /** Why {@code topic} is not a legal Kafka topic name, or null when it is (the shared core rule). */
    static String topicProblem(String topic) {
        return topic.isEmpty() ? "is empty" : ConfigValidators.topicNameProblem(topic);
    }

    /** Accepts patterns whose ${...} variables are all known; the resulting name is checked at configure time. */
    static final class PatternValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                throw new ConfigException(name, null, "The topic pattern must be set.");
            }
            Matcher m = VARIABLE.matcher(value.toString());
            while (m.find()) {
                if (!VARIABLES.contains(m.group(1))) {
                    throw new ConfigException(name, value, "Unknown variable ${" + m.group(1)
                            + "}; the pattern may use ${domain}, ${product} and ${major}.");
                }
            }
        }

        @Override
        public String toString() {
            return "a topic name with ${domain}, ${product} and ${major}";
        }
    }

    @Override
    public R apply(R record) {
        Headers headers = record.headers();
        if (deprecated) {
            headers = headers.duplicate();
            headers.remove(GovernanceHeaders.DEPRECATED);
            headers.addBoolean(GovernanceHeaders.DEPRECATED, true);
            if (sunset != null) {
                headers.remove(GovernanceHeaders.SUNSET);
                headers.addString(GovernanceHeaders.SUNSET, sunset);
            }
        }
        // The partition is kept: the product topic is expected to have the source's partitioning, as
        // with Kafka's RegexRouter.
        return record.newRecord(topic, record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), headers);
    }
}
