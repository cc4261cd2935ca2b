package io.onramp.connect.source.jdbc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which ids below the highest id read have not been seen yet, and since when: the gaps a transaction that took an
 * id but has not committed yet leaves behind. A gap is looked for again until a row fills it or a search for every
 * open gap that started at least the timeout after the gap opened did not find it (then it is taken for a rollback
 * or a deleted row). At most {@code maxGaps} gaps are kept: beyond, the lowest gives way and is counted
 * ({@link #takeDropped}). No database, no Connect: unit-tested alone.
 *
 * <p>The gaps serialize to a compact text ({@link #encodedGaps}, see {@link GapText}) kept in the source offset with
 * {@link #maxSeen}, so a restarted task tracks the same gaps. That text is built again only when the gaps change
 * other than by a gap added above all others (which appends to it), and records share it while they do not change.
 */
final class GapTracker {

    /** Ids {@code from..to} (inclusive) not seen yet, first noticed at {@code sinceMs}. */
    record Gap(long from, long to, long sinceMs) {
        long ids() {
            return to - from + 1;
        }
    }

    /** How many gaps, and ids in them, were left behind. */
    record Count(int gaps, long ids) {
        static final Count NONE = new Count(0, 0);
    }

    private final long timeoutMs;
    private final int maxGaps;
    private Long maxSeen;
    private final TreeMap<Long, Gap> gaps = new TreeMap<>(); // by from: disjoint, all below maxSeen
    private final GapText text = new GapText();
    private int droppedGaps;
    private Long earlierFormatMax;
    private String earlierFormat;
    private long droppedIds;

    GapTracker(long timeoutMs, int maxGaps) {
        this.timeoutMs = timeoutMs;
        this.maxGaps = maxGaps;
    }

    /** The highest id seen, or null before the first. */
    Long maxSeen() {
        return maxSeen;
    }

    /** The open gaps, ascending. */
    List<Gap> gaps() {
        return List.copyOf(gaps.values());
    }

    boolean hasGaps() {
        return !gaps.isEmpty();
    }

    int size() {
        return gaps.size();
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
                Gap gap = new Gap(below, id - 1, nowMs);
                gaps.put(gap.from, gap);
                text.appended(gap);
                dropBeyondCapacity();
            }
            maxSeen = id;
            return true;
        }
        Map.Entry<Long, Gap> entry = gaps.floorEntry(id);
        if (entry == null || id > entry.getValue().to) {
            return false;
        }
        Gap gap = entry.getValue();
        gaps.remove(gap.from);
        if (id > gap.from) {
            gaps.put(gap.from, new Gap(gap.from, id - 1, gap.sinceMs));
        }
        if (id < gap.to) {
            gaps.put(id + 1, new Gap(id + 1, gap.to, gap.sinceMs));
        }
        text.changed();
        dropBeyondCapacity(); // a row inside a gap splits it in two
        return true;
    }

    /** Bounded state: the lowest gaps give way, counted for the caller's warning. */
    private void dropBeyondCapacity() {
        while (gaps.size() > maxGaps) {
            Gap lowest = gaps.pollFirstEntry().getValue();
            droppedGaps++;
            droppedIds += lowest.ids();
            text.removedFirst(gaps.isEmpty() ? null : gaps.firstEntry().getValue());
        }
    }

    /** The gaps dropped for capacity since the last call. */
    Count takeDropped() {
        Count dropped = droppedGaps == 0 ? Count.NONE : new Count(droppedGaps, droppedIds);
        droppedGaps = 0;
        droppedIds = 0;
        return dropped;
    }

    /**
     * Forgets the gaps that a search started at {@code searchedAtMs} looked for in vain although they had been open
     * for the timeout by then. The caller passes the start of its last search that covered every gap open at that
     * start (so every gap with {@code searchedAtMs - sinceMs >= timeout} was among them): a row whose transaction
     * committed within the timeout after its gap was noticed was visible to that search.
     */
    Count expire(long searchedAtMs) {
        int expired = 0;
        long ids = 0;
        for (Iterator<Gap> it = gaps.values().iterator(); it.hasNext(); ) {
            Gap gap = it.next();
            if (searchedAtMs - gap.sinceMs >= timeoutMs) {
                expired++;
                ids += gap.ids();
                it.remove();
            }
        }
        if (expired == 0) {
            return Count.NONE;
        }
        text.changed();
        return new Count(expired, ids);
    }

    /**
     * {@code <maxSeen>|} ({@code |} before the first id): the offset format of version 0.1.0 with no gap list, which
     * that version reads as "resume above maxSeen, no gaps open". The same String instance while maxSeen holds.
     */
    String maxOnlyEarlierFormat() {
        if (earlierFormat == null || !Objects.equals(earlierFormatMax, maxSeen)) {
            earlierFormatMax = maxSeen;
            earlierFormat = (maxSeen == null ? "" : maxSeen.toString()) + '|';
        }
        return earlierFormat;
    }

    /** The gaps as {@link GapText}: the same String instance until they change. */
    String encodedGaps() {
        return text.text(gaps.values());
    }

    /**
     * The tracker a source offset describes. {@code gapsText} is {@link #encodedGaps} with {@code maxSeen} stored
     * beside it, or the format of earlier versions, {@code max|from~to@since,...}, which holds the highest id itself
     * ({@code maxSeen} is then ignored). Gaps beyond {@code maxGaps} (an earlier version kept up to 10,000) are
     * dropped like new ones, counted in {@link #takeDropped}.
     */
    static GapTracker decode(String gapsText, Long maxSeen, long timeoutMs, int maxGaps) {
        GapTracker tracker = new GapTracker(timeoutMs, maxGaps);
        if (gapsText == null) {
            tracker.maxSeen = maxSeen;
            return tracker;
        }
        int bar = gapsText.indexOf('|');
        List<Gap> gaps;
        if (bar >= 0) {
            String max = gapsText.substring(0, bar);
            tracker.maxSeen = max.isEmpty() ? null : Long.parseLong(max);
            gaps = decodeLegacy(gapsText.substring(bar + 1));
        } else {
            tracker.maxSeen = maxSeen;
            gaps = GapText.parse(gapsText);
        }
        for (Gap gap : gaps) {
            tracker.gaps.put(gap.from, gap);
        }
        tracker.text.changed();
        tracker.dropBeyondCapacity();
        return tracker;
    }

    private static List<Gap> decodeLegacy(String text) {
        List<Gap> gaps = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String part : text.split(",")) {
                int tilde = part.indexOf('~', 1); // from may be negative
                int at = part.indexOf('@');
                gaps.add(new Gap(Long.parseLong(part.substring(0, tilde)), Long.parseLong(part.substring(tilde + 1, at)),
                        Long.parseLong(part.substring(at + 1))));
            }
        }
        return gaps;
    }
}
