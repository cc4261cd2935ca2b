package io.onramp.connect.source.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commit order on MariaDB/MySQL over an auto-increment id, with gap tracking ({@link IdGapTracker}): rows are read
 * in id order with READ COMMITTED statements and delivered up to the first id that is not visible yet. The
 * transactions that may hold a missing id are read from {@code information_schema.INNODB_TRX} (this needs the
 * PROCESS privilege); once none of them runs any more, the gap is proved empty (rolled back, or an id InnoDB handed
 * out and no row kept). Without the privilege, or while a holder runs, a gap is waited for until {@code
 * outbox.gap.timeout.ms} passes, then given up: reported through {@link GapListener}, which warns and counts.
 *
 * <p>INNODB_TRX is a cache that InnoDB refills only when nobody has read it for 100 ms, so any other session that
 * reads it more often (another outbox task, a monitoring agent) keeps it as old as it likes: a list read after the
 * gap can still predate the transaction that holds the missing id. So the list is read inside a <em>canary</em>
 * transaction that this connection starts after the read that saw the gap ({@code START TRANSACTION WITH CONSISTENT
 * SNAPSHOT}, which enters InnoDB's transaction list at once), and only a list that shows the canary is taken as a
 * gap's holders: the cache was then filled after the gap was seen, when its holder (which took the id before) was
 * running or had ended. The canary ends within the same call. A list without it only ends gaps that already have
 * holders (a cache never goes back in time).
 *
 * <p>InnoDB takes the auto-increment id before the inserting transaction enters that list (the id in the handler's
 * write_row, the transaction started in row_insert_for_mysql), so a transaction whose first write is the outbox
 * INSERT can hold the id unseen for a moment. A gap whose holders all ended is therefore checked in a second round:
 * a canary-fresh list read {@link IdGapTracker#RECHECK_GRACE_MS} later, whose transactions must end too.
 */
final class MariaDbGapReader implements CommitOrderReader {

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbGapReader.class);

    /** Told of every gap left behind. */
    interface GapListener {
        void gapResolved(IdGapTracker.ResolvedGap gap);
    }

    /** The running transactions, and which row (if any) is this connection's own: the canary. */
    private static final String RUNNING_SQL =
            "SELECT trx_id, trx_mysql_thread_id = CONNECTION_ID() FROM information_schema.INNODB_TRX";

    private final String readSql;
    private final String deliveredSql;
    private final IdGapTracker tracker;
    private final GapListener listener;
    private final Clock clock;
    private boolean holdersReadable = true;
    private long cleanedThrough;

    /**
     * The server refreshes INNODB_TRX's cache only when it was last read more than 100 ms ago: a reader that asked
     * more often (the task retries every 25 ms while it waits for a gap) would keep it from ever refreshing.
     */
    static final long TRX_READ_INTERVAL_NANOS = 150_000_000L;
    private long lastRunningRead;
    private boolean runningReadYet;
    private static final int MAX_GIVEN_UP_REMEMBERED = 10_000;
    private final java.util.ArrayDeque<long[]> givenUp = new java.util.ArrayDeque<>();

    /**
     * @param qualifiedTable the outbox table, quoted
     * @param quotedId       the auto-increment id column, quoted (an integer type, the primary key)
     * @param clock          times the gap timeout and the pause between reads of INNODB_TRX ({@link NanoClock} in a task)
     */
    MariaDbGapReader(String qualifiedTable, String quotedId, long gapTimeoutMs, GapListener listener, Clock clock) {
        this.readSql = "SELECT o.* FROM " + qualifiedTable + " o WHERE o." + quotedId + " > ? ORDER BY o." + quotedId + " LIMIT ?";
        this.deliveredSql = "SELECT o." + quotedId + " FROM " + qualifiedTable + " o WHERE o." + quotedId + " > ? AND o." + quotedId + " <= ? ORDER BY o."
                + quotedId + " LIMIT ?";
        this.idLabel = unquoted(quotedId);
        this.tracker = new IdGapTracker(gapTimeoutMs);
        this.listener = listener;
        this.clock = clock;
    }

    private final String idLabel;

    @Override
    public List<OutboxEvent> read(Connection connection, OutboxPosition after, int max) throws SQLException {
        Instant beforeInstant = clock.instant();
        long before = nanos(beforeInstant);
        if (tracker.hasGaps() && (!runningReadYet || before - lastRunningRead >= TRX_READ_INTERVAL_NANOS)) {
            // Before the read: a gap whose holders (of both rounds) all ended is empty for the read that follows.
            // Every gap pending now was seen by an earlier read, so a list that shows the canary started now
            // postdates all of them.
            RunningTransactions running = runningTransactions(connection);
            runningReadYet = true;
            lastRunningRead = before;
            if (running != null && running.showsCanary()) {
                tracker.running(running.others(), before, beforeInstant.toEpochMilli());
            } else if (running != null) {
                tracker.running(running.others(), beforeInstant.toEpochMilli());
            }
        }
        long position = after.isStart() ? 0 : (Long) after.id();
        var events = new ArrayList<OutboxEvent>();
        long now;
        long stamp;
        try (PreparedStatement statement = connection.prepareStatement(readSql)) {
            statement.setLong(1, position);
            statement.setInt(2, max);
            now = clock.millis();
            try (var rows = statement.executeQuery()) {
                stamp = nanos(clock.instant());
                int idIndex = -1;
                while (rows.next()) {
                    if (idIndex < 0) {
                        idIndex = rows.findColumn(idLabel);
                    }
                    long id = rows.getLong(idIndex);
                    events.add(new OutboxEvent(new OutboxPosition(OutboxPosition.NO_TXID, id), RowValues.read(rows, Set.of())));
                }
            }
        }
        long[] ids = events.stream().mapToLong(event -> (Long) event.position().id()).toArray();
        var walk = tracker.walk(position, ids, now, stamp);
        for (var gap : walk.resolved()) {
            if (gap.resolution() == IdGapTracker.Resolution.TIMED_OUT) {
                rememberGivenUp(gap);
            }
            listener.gapResolved(gap);
        }
        return walk.deliverable() == events.size() ? events : List.copyOf(events.subList(0, walk.deliverable()));
    }

    /** An instant as nanoseconds since the epoch (a long holds them until the year 2262). */
    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Whether some gap still waits for a list of running transactions that surely postdates it. */
    boolean gapsLackHolders() {
        return tracker.needsHolders();
    }

    @Override
    public boolean waitingForCommits() {
        return tracker.hasGaps();
    }

    @Override
    public List<Object> deliveredIds(Connection connection, OutboxPosition committed, int max) throws SQLException {
        if (committed.isStart()) {
            return List.of();
        }
        try (PreparedStatement statement = connection.prepareStatement(deliveredSql)) {
            statement.setLong(1, cleanedThrough);
            statement.setLong(2, (Long) committed.id());
            statement.setInt(3, max);
            var ids = new ArrayList<Object>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    cleanedThrough = id; // rows kept back (given up) are not looked at again
                    if (!givenUp(id)) {
                        ids.add(id);
                    }
                }
            }
            return ids;
        }
    }

    /**
     * A row that commits after its id was given up was never delivered: the cleanup must leave it in the table
     * (where an operator can find it). Remembered for the life of the task, the most recent ranges first.
     */
    private void rememberGivenUp(IdGapTracker.ResolvedGap gap) {
        givenUp.addFirst(new long[] {gap.from(), gap.to()});
        if (givenUp.size() > MAX_GIVEN_UP_REMEMBERED) {
            givenUp.removeLast();
        }
    }

    private boolean givenUp(long id) {
        for (long[] range : givenUp) {
            if (id >= range[0] && id <= range[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The transactions of other connections in INNODB_TRX, and whether the list shows this connection's canary
     * transaction; null when they cannot be read (no PROCESS privilege).
     */
    record RunningTransactions(Set<Long> others, boolean showsCanary) {
    }

    /**
     * Reads INNODB_TRX inside a canary transaction of this connection, ended before returning (the connection is in
     * autocommit mode again, holding nothing across polls). The read-committed outbox reads are not affected.
     */
    private RunningTransactions runningTransactions(Connection connection) throws SQLException {
        if (!holdersReadable) {
            return null;
        }
        try (var statement = connection.createStatement()) {
            statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            try (var rows = statement.executeQuery(RUNNING_SQL)) {
                var others = new HashSet<Long>();
                boolean canary = false;
                while (rows.next()) {
                    if (rows.getBoolean(2)) {
                        canary = true;
                    } else {
                        others.add(Long.parseLong(rows.getString(1).trim()));
                    }
                }
                return new RunningTransactions(others, canary);
            } finally {
                statement.execute("COMMIT");
            }
        } catch (SQLException e) {
            if (!isAccessDenied(e)) {
                throw e;
            }
            holdersReadable = false;
            LOG.info("Cannot read the running transactions from information_schema.INNODB_TRX ({}): a gap in the outbox ids "
                    + "is waited for until outbox.gap.timeout.ms passes; grant PROCESS to prove gaps empty sooner", e.getMessage());
            return null;
        }
    }

    /** MariaDB/MySQL's "access denied" family: 1044 (database), 1142 (table), 1227 (privilege such as PROCESS). */
    private static boolean isAccessDenied(SQLException e) {
        int code = e.getErrorCode();
        return code == 1044 || code == 1142 || code == 1227;
    }

    static String unquoted(String quoted) {
        if (quoted.length() >= 2 && quoted.charAt(0) == '`' && quoted.charAt(quoted.length() - 1) == '`') {
            return quoted.substring(1, quoted.length() - 1).replace("``", "`");
        }
        return PostgresHorizonReader.unquoted(quoted);
    }
}
