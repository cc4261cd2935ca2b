package io.onramp.connect.source.outbox;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the outbox source stands: the last row delivered, in the order the source delivers rows. On PostgreSQL
 * that order is (transaction id of the inserting transaction, event id); on MariaDB it is the auto-increment id
 * alone ({@link #txid()} is then {@link #NO_TXID}). Everything at or before the position was delivered (or, on
 * MariaDB, given up as a gap), nothing after it was.
 *
 * <p>As a Connect source offset it is an ordered map ({@code id}, then {@code txid} when there is one), so the
 * offset serializes to the same bytes in every JVM.
 *
 * @param txid the 64-bit transaction id (PostgreSQL's {@code xid8}), or {@link #NO_TXID}
 * @param id   the event id: a {@link Long} for integer ids, else its text (uuid, varchar)
 */
record OutboxPosition(long txid, Object id) {

    static final long NO_TXID = -1;
    static final String TXID = "txid";
    static final String ID = "id";

    /** Nothing delivered yet. */
    static final OutboxPosition START = new OutboxPosition(NO_TXID, null);

    OutboxPosition {
        if (id != null && !(id instanceof Long) && !(id instanceof String)) {
            throw new IllegalArgumentException("an outbox position's id is a Long or a String, not " + id.getClass().getName());
        }
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
        return new OutboxPosition(txid == null ? NO_TXID : ((Number) txid).longValue(),
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
        for (String key : offset.keySet()) {
            if (!ID.equals(key) && !TXID.equals(key)) {
                return "an outbox offset has only '" + ID + "' and '" + TXID + "', not '" + key + "'";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return txid == NO_TXID ? "id " + id : "txid " + txid + ", id " + id;
    }
}
