package io.onramp.connect.source.outbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;

/**
 * Where the next horizon batch of the PostgreSQL outbox reader ends: the largest transaction id {@code end} up to
 * the horizon such that no aggregate has a committed row outside the batch that must come before one inside it.
 *
 * <p>Why a batch may have to end below the horizon: a transaction can take its id (its first write) before it
 * waits for an aggregate's lock, so an aggregate's later event can carry the smaller transaction id. Inside a
 * batch the reader delivers by event id, which follows the lock order when the id is taken at the insert, under
 * the lock. Across batches it delivers by transaction id. So an aggregate row {@code r} in the batch with a
 * visible row {@code s} of the same aggregate outside it ({@code txid(s) >= end}) and {@code id(s) < id(r)} would
 * come out in the wrong order; the batch then ends at {@code txid(r)} instead, and this repeats until no such
 * pair is left. Rows not yet committed cannot come before a committed row of their aggregate (the aggregate's
 * lock is held until commit), so the committed rows are all this needs to look at.
 */
final class HorizonBatch {

    /** A committed row that may not have been delivered: its transaction id, event id and aggregate key. */
    record Candidate(long txid, long id, Object key) {
    }

    private HorizonBatch() {
    }

    /**
     * @param visible the committed rows of transactions at or after the batch start, in any order
     * @param horizon the oldest transaction id still running when {@code visible} was read
     * @return the batch end, at most {@code horizon}; a batch holding none of {@code visible} means nothing can be
     *         delivered yet
     */
    static long end(List<Candidate> visible, long horizon) {
        var byKey = new HashMap<Object, List<Candidate>>();
        for (Candidate c : visible) {
            byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
        }
        for (List<Candidate> rows : byKey.values()) {
            rows.sort(Comparator.comparingLong(Candidate::id));
        }
        long end = horizon;
        while (true) {
            long lowered = end;
            for (List<Candidate> rows : byKey.values()) {
                boolean earlierOutside = false; // a row with a smaller id that stays outside the batch
                for (Candidate row : rows) {
                    if (row.txid() >= end) {
                        earlierOutside = true;
                    } else if (earlierOutside) {
                        lowered = Math.min(lowered, row.txid());
                    }
                }
            }
            if (lowered == end) {
                return end;
            }
            end = lowered;
        }
    }
}
