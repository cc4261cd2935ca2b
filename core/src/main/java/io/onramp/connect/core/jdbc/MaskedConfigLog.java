package io.onramp.connect.core.jdbc;

import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * Logs a database plugin's config values at INFO, as {@code AbstractConfig} does, but with any password written into
 * a value (a {@code password=} parameter or {@code user:password@} in {@code connection.url}) hidden as well:
 * {@code AbstractConfig} hides only keys of type PASSWORD, and users do put credentials into JDBC URLs.
 */
public final class MaskedConfigLog {

    private MaskedConfigLog() {
    }

    /** Logs {@code values} under the config class's logger; call with {@code doLog=false} given to AbstractConfig. */
    public static void log(Class<?> configClass, Map<String, ?> values) {
        LoggerFactory.getLogger(configClass).info(render(configClass.getSimpleName(), values));
    }

    static String render(String title, Map<String, ?> values) {
        StringBuilder text = new StringBuilder(title).append(" values: \n");
        new TreeMap<String, Object>(values).forEach((key, value) -> text.append('\t').append(key).append(" = ")
                .append(value instanceof String string ? JdbcErrors.maskUrl(string) : value).append('\n'));
        return text.toString();
    }
}
