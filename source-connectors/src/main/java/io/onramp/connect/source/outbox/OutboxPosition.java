package io.onramp.connect.source.outbox;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the outbox source stands: the last row delivered, in the order the source delivers rows. Everything at or
 * before the position was delivered (or, on MariaDB, given up as a gap), nothing after it was.
 * <ul>
 *   <li>MariaDB: the auto-increment id alone ({@link #txid()} and {@link #txidEnd()} are {@link #NO_TXID}).</li>
 *   <li>PostgreSQL, integer event ids: a horizon batch, the rows of the transactions {@code txid <= x < txidEnd},
 *       delivered in event-id order; {@link #id()} is the last delivered of the batch. Every row of a transaction
 *       below {@code txid} was delivered.</li>
 *   <li>PostgreSQL, other event ids (uuid, text): (transaction id, event id) of the last row; {@link #txidEnd()} is
 *       {@link #NO_TXID}. Read as a batch, that is the batch of the one transaction {@code txid}.</li>
 * </ul>
 *
 * <p>As a Connect source offset it is an ordered map ({@code id}, {@code txid}, {@code txid.end}, each when there
 * is one), so the offset serializes to the same bytes in every JVM.
 *
 * @param txid    the 64-bit transaction id (PostgreSQL's {@code xid8}) or a batch's first one, or {@link #NO_TXID}
 * @param txidEnd the end (exclusive) of a batch of transaction ids, or {@link #NO_TXID}
 * @param id      the event id: a {@link Long} for integer ids, else its text (uuid, varchar)
 */
record OutboxPosition(long txid, long txidEnd, Object id) {

    static final long NO_TXID = -1;
    static final String TXID = "txid";
    static final String TXID_END = "txid.end";
    static final String ID = "id";

    /** Nothing delivered yet. */
    static final OutboxPosition START = new OutboxPosition(NO_TXID, null);

    OutboxPosition {
        if (id != null && !(id instanceof Long) && !(id instanceof String)) {
            throw new IllegalArgumentException("an outbox position's id is a Long or a String, not " + id.getClass().getName());
        }
        if (txidEnd != NO_TXID && txidEnd <= txid) {
            throw new IllegalArgumentException("an outbox batch ends after it starts: " + txid + ".." + txidEnd);
        }
    }

    /** A position without a batch end: MariaDB's id, or PostgreSQL's (transaction id, event id). */
    OutboxPosition(long txid, Object id) {
        this(txid, NO_TXID, id);
    }

    /** The end (exclusive) of the batch this position is in: {@link #txidEnd()}, or the one transaction {@link #txid()}. */
    long batchEnd() {
        return txidEnd != NO_TXID ? txidEnd : txid + 1;
    }

    boolean isStart() {
        return id == null;
    }

    /** The source offset: an ordered map, the same bytes in every JVM. */
    Map<String, Object> toOffset() {
        var offset = new TreeMap<String, Object>();
        offset.put(ID, id);
        if (txid != NO_TXID) {
            offset.put(TXID, txid);
        }
        if (txidEnd != NO_TXID) {
            offset.put(TXID_END, txidEnd);
        }
        return offset;
    }

    /** The position an offset stands for; {@link #START} for none. */
    static OutboxPosition fromOffset(Map<String, ?> offset) {
        String problem = problem(offset);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (offset == null || offset.get(ID) == null) {
            return START;
        }
        Object id = offset.get(ID);
        Object txid = offset.get(TXID);
        Object txidEnd = offset.get(TXID_END);
        return new OutboxPosition(txid == null ? NO_TXID : ((Number) txid).longValue(),
                txidEnd == null ? NO_TXID : ((Number) txidEnd).longValue(),
                id instanceof Number number ? (Object) number.longValue() : id.toString());
    }

    /** Why a map is not an offset this source wrote (for alterOffsets), or null when it is one. */
    static String problem(Map<String, ?> offset) {
        if (offset == null || offset.isEmpty()) {
            return null;
        }
        Object id = offset.get(ID);
        if (!(id instanceof Number) && !(id instanceof String)) {
            return "an outbox offset needs an '" + ID + "' (the last delivered event id, a number or a string)";
        }
        Object txid = offset.get(TXID);
        if (txid != null && !(txid instanceof Number number && number.longValue() >= 0)) {
            return "an outbox offset's '" + TXID + "' is a non-negative number (a PostgreSQL transaction id)";
        }
        Object txidEnd = offset.get(TXID_END);
        if (txidEnd != null && !(txid instanceof Number start && txidEnd instanceof Number end && end.longValue() > start.longValue())) {
            return "an outbox offset's '" + TXID_END + "' is a number above its '" + TXID + "' (a batch of PostgreSQL transaction ids)";
        }
        for (String key : offset.keySet()) {
            if (!ID.equals(key) && !TXID.equals(key) && !TXID_END.equals(key)) {
                return "an outbox offset has only '" + ID + "', '" + TXID + "' and '" + TXID_END + "', not '" + key + "'";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        if (txid == NO_TXID) {
            return "id " + id;
        }
        return txidEnd == NO_TXID ? "txid " + txid + ", id " + id : "txids " + txid + ".." + (txidEnd - 1) + ", id " + id;
    }
}
