package io.onramp.connect.core.offsets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Source partitions and offsets that serialize to the same bytes in every JVM.
 *
 * <p>Connect finds a task's committed offset by the <em>serialized bytes</em> of its source partition, and its
 * converters write a map's entries in iteration order. {@code Map.of(...)} with more than one entry iterates in an
 * order salted per JVM, so a restarted worker would miss the offset its predecessor committed and start the input
 * over. Every source connector builds its partition and offset maps here instead: the entries are sorted by key,
 * so the bytes depend only on the entries.
 */
public final class OffsetMaps {

    private OffsetMaps() {
    }

    /** An unmodifiable map of alternating keys and values, iterated in key order; keys must be distinct. */
    public static SortedMap<String, Object> of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        var map = new TreeMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = (String) keysAndValues[i];
            if (map.put(key, keysAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("duplicate key " + key);
            }
        }
        return Collections.unmodifiableSortedMap(map);
    }

    /** The same entries, iterated in key order. */
    public static SortedMap<String, Object> ordered(Map<String, ?> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /**
     * Every iteration order of the map's entries (n! maps, at most 24): what older versions may have committed
     * under when they built the same partition with {@code Map.of}. A task can look all of them up once when it
     * finds no offset under the ordered form, so an upgrade does not start a half-read input over.
     */
    public static List<Map<String, Object>> allOrders(Map<String, ?> map) {
        if (map.size() > 4) {
            throw new IllegalArgumentException("too many entries to try every order: " + map.size());
        }
        var orders = new ArrayList<Map<String, Object>>();
        permute(new ArrayList<>(map.entrySet()), 0, orders);
        return orders;
    }

    private static void permute(List<Map.Entry<String, ?>> entries, int from, List<Map<String, Object>> out) {
        if (from == entries.size()) {
            var map = new java.util.LinkedHashMap<String, Object>();
            entries.forEach(entry -> map.put(entry.getKey(), entry.getValue()));
            out.add(Collections.unmodifiableMap(map));
            return;
        }
        for (int i = from; i < entries.size(); i++) {
            Collections.swap(entries, from, i);
            permute(entries, from + 1, out);
            Collections.swap(entries, from, i);
        }
    }
}
