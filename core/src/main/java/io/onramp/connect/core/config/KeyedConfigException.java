package io.onramp.connect.core.config;

import java.util.Collection;
import java.util.Comparator;
import org.apache.kafka.common.config.ConfigException;

/**
 * A {@link ConfigException} that knows which key is at fault, so that a check spanning several keys can be
 * reported on the right one at {@code PUT /connector-plugins/.../config/validate}. The message is a sentence
 * that names the key; it never carries the value of a secret.
 */
public class KeyedConfigException extends ConfigException {

    private static final long serialVersionUID = 1L;
    /** How {@code ConfigException(name, value, message)} names its key. */
    private static final java.util.regex.Pattern KAFKA_FORM = java.util.regex.Pattern.compile("for configuration (\\S+?)(?::|$)");

    private final String key;

    public KeyedConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The config key (unprefixed, as the plugin's ConfigDef names it) the user should change. */
    public String key() {
        return key;
    }

    /**
     * The key among {@code keys} that a failed check is about: the one a {@link KeyedConfigException} names, else
     * the key the message names first (the longest at that place: 'classification.mode', not 'classification'),
     * else {@code fallback}. Kafka's own {@code ConfigException(name, value, message)} names its key early.
     */
    public static String keyOf(RuntimeException e, Collection<String> keys, String fallback) {
        if (e instanceof KeyedConfigException keyed && keys.contains(keyed.key())) {
            return keyed.key();
        }
        String message = String.valueOf(e.getMessage());
        var named = KAFKA_FORM.matcher(message);
        if (named.find() && keys.contains(named.group(1))) {
            return named.group(1);
        }
        return keys.stream()
                .filter(message::contains)
                .min(Comparator.<String>comparingInt(message::indexOf)
                        .thenComparing(Comparator.comparingInt(String::length).reversed()))
                .orElse(fallback);
    }
}
