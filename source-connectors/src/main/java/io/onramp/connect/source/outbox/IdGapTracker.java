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
 *       running after that read ({@linkplain #holders its holders}) is running any more, checked <em>before</em> a
 *       read that still lacks the ids, the ids belong to rolled-back transactions or were never used (InnoDB hands
 *       out ids that no row keeps, e.g. on a failed insert), and the reader moves past them. That first proof is
 *       checked once more ({@link #RECHECK_GRACE_MS}): InnoDB takes an id before the inserting transaction enters
 *       its transaction list, so a holder can be missing from the first list;</li>
 *   <li>it <em>times out</em>: when the holders cannot be known (no right to read the running transactions) or one
 *       runs longer than the gap timeout, the reader gives the ids up, reported to the caller so that it warns and
 *       counts. A row that commits after its id was given up is not delivered: the timeout must exceed the
 *       longest transaction that writes to the outbox.</li>
 * </ol>
 * Every gap a read shows is tracked, not only the first: their holders are read together, so many rolled-back ids
 * cost one wait, not one each. Pure logic with no database access: the caller reads ids and running transactions
 * and passes them in. Not thread-safe (one task's poll loop owns it).
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

    /**
     * How long after a gap's holders all ended the transactions running are read again, the holders of a second
     * round that must end too before the gap is proved empty. InnoDB takes an auto-increment id in the handler's
     * write_row, before row_insert_for_mysql starts the InnoDB transaction, so a transaction whose first InnoDB write
     * is the outbox INSERT holds its id for a moment while it is in no list of running transactions. A list read at
     * least this long after the first proof shows such a holder (it has since entered the list), unless it has
     * committed (the gap then fills) or rolled back. The remaining assumption, like that of outbox.gap.timeout.ms: no
     * INSERT pauses between taking its id and starting its transaction for longer than this.
     */
    static final long RECHECK_GRACE_MS = 1_000;

    /**
     * A gap waited for. {@code holders}: the transactions running after it was seen (null until a fresh list came);
     * {@code firstProofMs}: when none of them ran any more (null before); {@code recheckHolders}: the transactions
     * running {@link #RECHECK_GRACE_MS} after that (null before); {@code provedEmpty}: none of those runs either.
     */
    private record Gap(long from, long to, long firstSeenMs, long seenStamp, Set<Long> holders, Long firstProofMs,
            Set<Long> recheckHolders, boolean provedEmpty) {
        boolean contains(long id) {
            return id >= from && id <= to;
        }

        Gap narrowed(long newFrom, long newTo) {
            return new Gap(newFrom, newTo, firstSeenMs, seenStamp, holders, firstProofMs, recheckHolders, provedEmpty);
        }

        Gap withHolders(Set<Long> running) {
            return new Gap(from, to, firstSeenMs, seenStamp, Set.copyOf(running), null, null, false);
        }

        Gap firstProvedAt(long nowMs) {
            return new Gap(from, to, firstSeenMs, seenStamp, holders, nowMs, null, false);
        }

        Gap withRecheckHolders(Set<Long> running) {
            return new Gap(from, to, firstSeenMs, seenStamp, holders, firstProofMs, Set.copyOf(running), false);
        }

        Gap proved() {
            return new Gap(from, to, firstSeenMs, seenStamp, holders, firstProofMs, recheckHolders, true);
        }
    }

    private final long timeoutMs;
    private List<Gap> pending = List.of();

    IdGapTracker(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** Whether some gap seen at or before {@code stamp} still lacks its holders. */
    boolean needsHolders(long stamp) {
        return pending.stream().anyMatch(gap -> gap.holders == null && gap.seenStamp - stamp <= 0);
    }

    /** Whether any gap still lacks its holders. */
    boolean needsHolders() {
        return pending.stream().anyMatch(gap -> gap.holders == null);
    }

    /** Whether there are gaps waited for. */
    boolean hasGaps() {
        return !pending.isEmpty();
    }

    /**
     * The transactions running now, taken BEFORE the next read at {@code nowMs}. For a gap with holders: when none of
     * them is among these, the first round ends for that read (anything they committed is visible to it). For a gap
     * first seen by a read stamped at or before {@code seenBy} that lacks holders: these become its holders (the
     * caller makes sure the list postdates that read). For a gap whose first round ended at least {@link
     * #RECHECK_GRACE_MS} before {@code nowMs}: these become its second-round holders; once none of them runs, the gap
     * is proved empty.
     */
    void running(Set<Long> runningTransactions, long seenBy, long nowMs) {
        update(runningTransactions, true, seenBy, nowMs);
    }

    /**
     * The transactions running now, from a list that may predate the gaps (a cache): it only ends rounds of gaps
     * that already have their holders (a list read later is never older than the one the holders came from, so a
     * holder missing from it has ended). Gaps without holders, or waiting for their second round's, keep waiting
     * for a list that surely postdates them.
     */
    void running(Set<Long> runningTransactions, long nowMs) {
        update(runningTransactions, false, 0, nowMs);
    }

    private void update(Set<Long> runningTransactions, boolean fresh, long seenBy, long nowMs) {
        var updated = new ArrayList<Gap>(pending.size());
        for (Gap gap : pending) {
            // One step per list: holders taken from a list are checked against a later one.
            if (gap.provedEmpty) {
                // nothing left to prove
            } else if (gap.holders == null) {
                if (fresh && gap.seenStamp - seenBy <= 0) {
                    gap = gap.withHolders(runningTransactions);
                }
            } else if (gap.firstProofMs == null) {
                if (gap.holders.stream().noneMatch(runningTransactions::contains)) {
                    gap = gap.firstProvedAt(nowMs);
                }
            } else if (gap.recheckHolders == null) {
                if (fresh && nowMs - gap.firstProofMs >= RECHECK_GRACE_MS) {
                    gap = gap.withRecheckHolders(runningTransactions);
                }
            } else if (gap.recheckHolders.stream().noneMatch(runningTransactions::contains)) {
                gap = gap.proved();
            }
            updated.add(gap);
        }
        pending = updated;
    }

    /**
     * Walks the ids visible after the position.
     *
     * @param position the last delivered (or given up) id; 0 when nothing was delivered yet
     * @param ids      the visible ids greater than {@code position}, ascending
     * @param nowMs    the time of the read
     * @param stamp    the read's stamp (e.g. {@link System#nanoTime()}), kept with the gaps it sees first
     */
    Walk walk(long position, long[] ids, long nowMs, long stamp) {
        var resolved = new ArrayList<ResolvedGap>(0);
        var stillPending = new ArrayList<Gap>();
        long expected = position + 1;
        int deliverable = 0;
        boolean blocked = false;
        for (long id : ids) {
            if (id < expected) {
                throw new IllegalArgumentException("ids must ascend after the position " + position + "; got " + id);
            }
            if (id > expected) {
                Gap gap = known(expected, id - 1, nowMs, stamp);
                long waited = nowMs - gap.firstSeenMs;
                if (blocked) {
                    stillPending.add(gap);
                } else if (gap.provedEmpty) {
                    resolved.add(new ResolvedGap(gap.from, gap.to, Resolution.PROVED_EMPTY, waited));
                } else if (waited >= timeoutMs) {
                    resolved.add(new ResolvedGap(gap.from, gap.to, Resolution.TIMED_OUT, waited));
                } else {
                    blocked = true;
                    stillPending.add(gap);
                }
            }
            if (!blocked) {
                deliverable++;
            }
            expected = id + 1;
        }
        pending = List.copyOf(stillPending);
        return new Walk(deliverable, resolved);
    }

    /** The gap {@code from..to} as tracked before (the part of an earlier gap it is), or a new one first seen now. */
    private Gap known(long from, long to, long nowMs, long stamp) {
        for (Gap gap : pending) {
            if (gap.contains(from)) {
                // Still (part of) a gap seen earlier: its ids were taken before that read, its holders hold.
                return gap.narrowed(from, to);
            }
        }
        return new Gap(from, to, nowMs, stamp, null, null, null, false);
    }
}
