package io.onramp.connect.sink.jdbc.mapping;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;

/**
 * The data product a record belongs to: from the governance headers Onramp's ProductHeaders transform writes
 * ({@value #PRODUCT_HEADER} = {@code <domain>.<product>}, {@value #VERSION_HEADER}), else from a topic named
 * {@code <domain>.<product>.v<N>} (the default product topic pattern).
 */
public record ProductRef(String domain, String product, int version) {

    /** Header names shared with io.onramp.connect.transforms.product.GovernanceHeaders. */
    public static final String PRODUCT_HEADER = "onramp.product";
    public static final String VERSION_HEADER = "onramp.contract.version";

    private static final Pattern PRODUCT_TOPIC = Pattern.compile("([^.]+)\\.(.+)\\.v(\\d{1,9})");

    /** The product of a record, or null when neither its headers nor its topic name one. */
    public static ProductRef of(String topic, Headers headers) {
        ProductRef fromTopic = fromTopic(topic);
        if (headers != null) {
            Header product = headers.lastWithName(PRODUCT_HEADER);
            if (product != null && product.value() != null) {
                String id = product.value().toString();
                int dot = id.indexOf('.');
                if (dot > 0 && dot < id.length() - 1) {
                    Header version = headers.lastWithName(VERSION_HEADER);
                    Integer v = version == null ? null : parseVersion(version.value());
                    if (v == null && fromTopic != null) {
                        v = fromTopic.version();
                    }
                    if (v != null) {
                        return new ProductRef(id.substring(0, dot), id.substring(dot + 1), v);
                    }
                }
            }
        }
        return fromTopic;
    }

    static ProductRef fromTopic(String topic) {
        Matcher m = PRODUCT_TOPIC.matcher(topic);
        return m.matches() ? new ProductRef(m.group(1), m.group(2), Integer.parseInt(m.group(3))) : null;
    }

    private static Integer parseVersion(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return value == null ? null : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
