package io.onramp.connect.source.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Commit order over an auto-increment id, for databases that do not expose a snapshot horizon (MariaDB/MySQL).
 *
 * <p>An id is taken when a row is inserted, but the row becomes visible only when its transaction commits, so a
 * reader can see id 12 while id 11 is still in flight. Delivering 12 and moving the position past 11 would lose
 * 11 for good. This tracker delivers only the contiguous run of ids after the position and stops at the first
 * missing id (a <em>gap</em>). A gap ends in one of three ways:
 * <ol>
 *   <li>it fills: the missing rows commit and become visible, and are delivered in id order;</li>
 *   <li>it is <em>proved empty</em>: the ids were taken before the gap was first seen (a higher id was already
 *       visible), so only a transaction running at that moment can hold them. When none of the transactions
 *       running when the gap was first seen ({@link #needsHolders() its holders}) is running any more, checked
 *       <em>before</em> a read that still lacks the ids, the ids belong to rolled-back transactions or were never
 *       used (InnoDB hands out ids that no row keeps, e.g. on a failed insert), and the reader moves past them;</li>
 *   <li>it <em>times out</em>: when the holders cannot be known (no right to read the running transactions) or one
 *       runs longer than the gap timeout, the reader gives the ids up, reported to the caller so that it warns and
 *       counts. A row that commits after its id was given up is not delivered: the timeout must exceed the
 *       longest transaction that writes to the outbox.</li>
 * </ol>
 * Pure logic with no database access: the caller reads ids and running transactions and passes them in.
 * Not thread-safe (one task's poll loop owns it).
 */
final class IdGapTracker {

    /** How a gap was left behind. */
    enum Resolution { PROVED_EMPTY, TIMED_OUT }

    /** Ids {@code from..to} (inclusive) that will not be delivered, and why. */
    record ResolvedGap(long from, long to, Resolution resolution, long waitedMs) {
    }

    /**
     * What a walk over the visible ids found.
     *
     * @param deliverable how many of the visible ids, from the first, may be delivered now
     * @param resolved    gaps passed over on the way
     */
    record Walk(int deliverable, List<ResolvedGap> resolved) {
    }

    private final long timeoutMs;
    private Gap blocking;
    private long gapsSeen;

    private static final class Gap {
        long from;
        final long to;
        final long firstSeenMs;
        Set<Long> holders; // null while unknown
        boolean provedEmpty;

        Gap(long from, long to, long firstSeenMs) {
            this.from = from;
            this.to = to;
            this.firstSeenMs = firstSeenMs;
        }
    }

    IdGapTracker(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** Whether the gap in front of the position still lacks its set of holders (ask for it after the read). */
    boolean needsHolders() {
        return blocking != null && blocking.holders == null;
    }

    /** How many gaps were first seen so far: tells a new gap in front of the position from the one before. */
    long gapsSeen() {
        return gapsSeen;
    }

    /** Whether there is a gap whose holders should be checked before the next read. */
    boolean hasHolders() {
        return blocking != null && blocking.holders != null && !blocking.provedEmpty;
    }

    /**
     * The transactions running right after the read that first saw the current gap: one of them holds the missing
     * ids, if anyone still does.
     */
    void holders(Set<Long> runningTransactions) {
        if (blocking != null && blocking.holders == null) {
            blocking.holders = Set.copyOf(runningTransactions);
        }
    }

    /**
     * The transactions running now, taken BEFORE the next read: when none of the gap's holders is among them, the
     * gap is proved empty for that read (anything they committed is visible to it).
     */
    void running(Set<Long> runningTransactions) {
        if (blocking != null && blocking.holders != null
                && blocking.holders.stream().noneMatch(runningTransactions::contains)) {
            blocking.provedEmpty = true;
        }
    }

    /**
     * Walks the ids visible after the position.
     *
     * @param position the last delivered (or given up) id; 0 when nothing was delivered yet
     * @param ids      the visible ids greater than {@code position}, ascending
     * @param nowMs    the time of the read
     */
    Walk walk(long position, long[] ids, long nowMs) {
        var resolved = new ArrayList<ResolvedGap>(0);
        long expected = position + 1;
        int i = 0;
        while (i < ids.length) {
            long id = ids[i];
            if (id < expected) {
                throw new IllegalArgumentException("ids must ascend after the position " + position + "; got " + id);
            }
            if (id == expected) {
                i++;
                expected++;
                continue;
            }
            if (blocking == null || expected < blocking.from || expected > blocking.to) {
                blocking = new Gap(expected, id - 1, nowMs);
                gapsSeen++;
                break;
            }
            // Still (part of) the gap first seen then: its ids were taken before that read, its holders hold.
            blocking.from = expected;
            long waited = nowMs - blocking.firstSeenMs;
            if (blocking.provedEmpty) {
                resolved.add(new ResolvedGap(expected, id - 1, Resolution.PROVED_EMPTY, waited));
            } else if (waited >= timeoutMs) {
                resolved.add(new ResolvedGap(expected, id - 1, Resolution.TIMED_OUT, waited));
            } else {
                break;
            }
            blocking = null;
            expected = id;
        }
        if (i == ids.length && blocking != null && blocking.to < expected) {
            blocking = null; // the gap filled
        }
        return new Walk(i, resolved);
    }
}
