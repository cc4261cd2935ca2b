package io.onramp.connect.sink.jdbc.mapping;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code fields.include.list} / {@code fields.exclude.list}: which value fields become columns. An entry is a
 * field name (every topic) or {@code topic:field} (one topic). Key columns are never filtered.
 */
public final class FieldFilter {

    private final Set<String> include;
    private final Set<String> exclude;

    public FieldFilter(List<String> include, List<String> exclude) {
        this.include = normalize(include);
        this.exclude = normalize(exclude);
    }

    private static Set<String> normalize(List<String> entries) {
        var set = new HashSet<String>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                set.add(trimmed);
            }
        }
        return Set.copyOf(set);
    }

    public boolean isEmpty() {
        return include.isEmpty() && exclude.isEmpty();
    }

    /** Whether value field {@code field} of a record on {@code topic} is written. */
    public boolean accepts(String topic, String field) {
        if (!include.isEmpty()) {
            return include.contains(field) || include.contains(topic + ":" + field);
        }
        return !(exclude.contains(field) || exclude.contains(topic + ":" + field));
    }
}
