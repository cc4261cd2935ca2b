package io.onramp.connect.source.jdbc;

/**
 * PostgreSQL's transaction horizon as a read bound. A statement's snapshot has an xmin (every transaction with a
 * lower id has ended) and an xmax. A read of window {@code [from, to)} with {@code to} = the snapshot's xmin returns
 * every row version written by a transaction with an id in that range that committed, and none that can still
 * change: a transaction that has not written yet (even one holding a sequence value taken earlier) gets an id of at
 * least {@code to}, so its rows fall into a later window. Rows are never skipped, however transactions interleave.
 *
 * <p>A row's {@code xmin} is 32 bits and wraps around; it is compared through its signed distance to {@code to}
 * ({@link #DISTANCE_SQL}), valid while {@code to - from < 2^31}. 64-bit ids come from {@code pg_current_snapshot()}.
 * A tuple keeps its 32-bit xmin for good (freezing sets a flag, not the id), and no SQL can tell which epoch it
 * came from: a row older than 2^32 transactions of the cluster falls into a window again when the counter comes
 * round to its xmin's low 32 bits, and is read once more. README documents it.
 */
final class XidWindow {

    /** Signed 32-bit distance of the row's xmin from a bound's low 32 bits (bound as parameter 1). */
    static final String DISTANCE_SQL = "(((\"xmin\"::text::bigint - ? + 6442450944) % 4294967296) - 2147483648)";

    /** Query returning the statement snapshot's xmin and xmax as 64-bit numbers. */
    static final String HORIZON_SQL = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
            + "pg_snapshot_xmax(pg_current_snapshot())::text::bigint";

    private XidWindow() {
    }

    /** The low 32 bits of a 64-bit transaction id, as the tuple's xmin shows it. */
    static long low32(long xid8) {
        return xid8 & 0xFFFF_FFFFL;
    }

    /**
     * The WHERE condition for the window {@code [from, to)}; parameters in order: low32(to), from - to (for a first
     * read without {@code from}: low32(to), low32(to), xmax - to, selecting every visible row not written at or
     * after {@code to}).
     */
    static String condition(boolean firstRead) {
        return firstRead
                ? "NOT (" + DISTANCE_SQL + " >= 0 AND " + DISTANCE_SQL + " < ?)"
                : "(" + DISTANCE_SQL + " >= ? AND " + DISTANCE_SQL + " < 0)";
    }
}
