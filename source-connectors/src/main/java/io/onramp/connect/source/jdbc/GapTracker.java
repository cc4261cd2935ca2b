package io.onramp.connect.source.jdbc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Which ids below the highest id read have not been seen yet, and since when: the gaps a transaction that took an
 * id but has not committed yet leaves behind. A gap is looked for again until a row fills it or it is older than
 * the timeout (then it is taken for a rollback or a deleted row). No database, no Connect: unit-tested alone.
 *
 * <p>State serializes to a string ({@link #encode}) kept in the source offset, so a restarted task tracks the
 * same gaps.
 */
final class GapTracker {

    /** Ids {@code from..to} (inclusive) not seen yet, first noticed at {@code sinceMs}. */
    record Gap(long from, long to, long sinceMs) {
    }

    private final long timeoutMs;
    private final int maxGaps;
    private Long maxSeen;
    private final List<Gap> gaps = new ArrayList<>(); // ascending, disjoint, all below maxSeen

    GapTracker(long timeoutMs, int maxGaps) {
        this.timeoutMs = timeoutMs;
        this.maxGaps = maxGaps;
    }

    /** The highest id seen, or null before the first. */
    Long maxSeen() {
        return maxSeen;
    }

    List<Gap> gaps() {
        return List.copyOf(gaps);
    }

    /**
     * Records that the row with {@code id} was read at {@code nowMs}.
     *
     * @return whether it was new (above every id seen, or inside a gap); false for an id seen before
     */
    boolean seen(long id, long nowMs) {
        if (maxSeen == null || id > maxSeen) {
            // Before the first id, ids from 1 up may still be in flight (a transaction that has not committed yet).
            long below = maxSeen == null ? 1 : maxSeen + 1;
            if (id > below && timeoutMs > 0) {
                gaps.add(new Gap(below, id - 1, nowMs));
                while (gaps.size() > maxGaps) {
                    gaps.remove(0); // bounded state: the oldest gap gives way
                }
            }
            maxSeen = id;
            return true;
        }
        for (int i = 0; i < gaps.size(); i++) {
            Gap gap = gaps.get(i);
            if (id < gap.from) {
                return false;
            }
            if (id <= gap.to) {
                gaps.remove(i);
                if (id < gap.to) {
                    gaps.add(i, new Gap(id + 1, gap.to, gap.sinceMs));
                }
                if (id > gap.from) {
                    gaps.add(i, new Gap(gap.from, id - 1, gap.sinceMs));
                }
                return true;
            }
        }
        return false;
    }

    /** Forgets gaps older than the timeout; returns how many ids were given up. */
    long expire(long nowMs) {
        long given = 0;
        for (Iterator<Gap> it = gaps.iterator(); it.hasNext(); ) {
            Gap gap = it.next();
            if (nowMs - gap.sinceMs >= timeoutMs) {
                given += gap.to - gap.from + 1;
                it.remove();
            }
        }
        return given;
    }

    /** {@code max|from-to@since,from-to@since}; empty gaps list allowed. */
    String encode() {
        StringBuilder out = new StringBuilder();
        out.append(maxSeen == null ? "" : maxSeen.toString()).append('|');
        for (int i = 0; i < gaps.size(); i++) {
            Gap gap = gaps.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append(gap.from).append('~').append(gap.to).append('@').append(gap.sinceMs);
        }
        return out.toString();
    }

    static GapTracker decode(String text, long timeoutMs, int maxGaps) {
        GapTracker tracker = new GapTracker(timeoutMs, maxGaps);
        if (text == null || text.isEmpty()) {
            return tracker;
        }
        int bar = text.indexOf('|');
        String max = text.substring(0, bar);
        tracker.maxSeen = max.isEmpty() ? null : Long.parseLong(max);
        String rest = text.substring(bar + 1);
        if (!rest.isEmpty()) {
            for (String part : rest.split(",")) {
                int tilde = part.indexOf('~', 1); // from may be negative
                int at = part.indexOf('@');
                tracker.gaps.add(new Gap(Long.parseLong(part.substring(0, tilde)), Long.parseLong(part.substring(tilde + 1, at)),
                        Long.parseLong(part.substring(at + 1))));
            }
        }
        return tracker;
    }
}
