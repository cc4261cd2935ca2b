package io.onramp.connect.core.outbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The topic of an event. Either Debezium's way: the {@code route.by.field} value matched against
 * {@code route.topic.regex} and replaced by {@code route.topic.replacement} ({@code ${routedByValue}} is the
 * regex's named group; a value the regex does not match becomes the topic as it is), or Onramp's
 * {@code route.topic.pattern} with the placeholders {@code ${aggregate}} (= {@code ${routedByValue}}),
 * {@code ${type}} (the event type), {@code ${domain}} and {@code ${version}} (the contract's, or
 * {@code route.domain}). Results are cached per distinct input; the cache is bounded.
 */
final class TopicRoute {

    static final String[] PLACEHOLDERS = {"${aggregate}", "${routedByValue}", "${type}", "${domain}", "${version}"};

    private static final int CACHE_SIZE = 1024;

    private final Pattern regex;
    private final String replacement;
    private final String pattern;
    private final boolean patternUsesType;
    private final Map<String, String> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    TopicRoute(String regex, String replacement, String pattern) {
        this.regex = Pattern.compile(regex);
        this.replacement = replacement;
        this.pattern = pattern;
        this.patternUsesType = pattern != null && pattern.contains("${type}");
    }

    /** @param domain and {@code version} fill the pattern's placeholders; null ones stay empty */
    String topic(String routedBy, String type, String domain, Integer version) {
        if (pattern == null) {
            return cache.computeIfAbsent(routedBy, this::replace);
        }
        String key = patternUsesType ? routedBy + '\u0000' + type + '\u0000' + domain + '\u0000' + version
                : routedBy + '\u0000' + domain + '\u0000' + version;
        String cached = cache.get(key);
        if (cached == null) {
            cached = fill(pattern, routedBy, type, domain, version);
            cache.put(key, cached);
        }
        return cached;
    }

    private String replace(String routedBy) {
        Matcher m = regex.matcher(routedBy);
        return m.matches() ? m.replaceFirst(replacement) : routedBy;
    }

    static String fill(String pattern, String aggregate, String type, String domain, Integer version) {
        return pattern.replace("${aggregate}", nz(aggregate)).replace("${routedByValue}", nz(aggregate))
                .replace("${type}", nz(type)).replace("${domain}", nz(domain))
                .replace("${version}", version == null ? "" : version.toString());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
