package io.onramp.connect.source.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes delivered rows from the outbox table, in batches, but only rows at or before the position whose offset
 * Kafka Connect has <em>committed</em> (read back from the offset store, not the position last handed to Connect):
 * a deleted row is one a restarted task would never read again. Runs on the poll thread, between reads, after
 * Connect reported a commit.
 */
final class OutboxCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxCleanup.class);

    /** Batches per run, so that a large backlog does not hold the poll loop for long. */
    static final int MAX_BATCHES_PER_RUN = 20;

    private final String deleteSqlPrefix;
    private final CommitOrderReader reader;
    private final Supplier<OutboxPosition> committedPosition;
    private final int batchSize;
    private final OutboxSourceMetrics metrics;
    private volatile boolean requested;

    OutboxCleanup(String qualifiedTable, String quotedId, CommitOrderReader reader, Supplier<OutboxPosition> committedPosition,
                  int batchSize, OutboxSourceMetrics metrics) {
        this.deleteSqlPrefix = "DELETE FROM " + qualifiedTable + " WHERE " + quotedId + " IN (";
        this.reader = reader;
        this.committedPosition = committedPosition;
        this.batchSize = batchSize;
        this.metrics = metrics;
    }

    /** Connect committed offsets (any thread): the next {@link #runIfRequested} deletes up to them. */
    void offsetsCommitted() {
        requested = true;
    }

    /** Deletes up to {@value #MAX_BATCHES_PER_RUN} batches of committed rows when a commit was reported. */
    void runIfRequested(Connection connection) throws SQLException {
        if (!requested) {
            return;
        }
        requested = false;
        OutboxPosition committed = committedPosition.get();
        if (committed.isStart()) {
            return;
        }
        long deleted = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            List<Object> ids = reader.deliveredIds(connection, committed, batchSize);
            if (ids.isEmpty()) {
                break;
            }
            deleted += delete(connection, ids);
            if (ids.size() < batchSize) {
                break;
            }
            if (batch == MAX_BATCHES_PER_RUN - 1) {
                requested = true; // more left: carry on after the next read
            }
        }
        if (deleted > 0) {
            metrics.rowsDeleted.addAndGet(deleted);
            LOG.debug("Deleted {} delivered rows at or before {} (committed)", deleted, committed);
        }
    }

    private int delete(Connection connection, List<Object> ids) throws SQLException {
        var sql = new StringBuilder(deleteSqlPrefix.length() + ids.size() * 3).append(deleteSqlPrefix);
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        try (var statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < ids.size(); i++) {
                statement.setObject(i + 1, ids.get(i));
            }
            return statement.executeUpdate();
        }
    }
}
