package io.onramp.connect.source.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the outbox rows that follow a position and that can be delivered now without ever having to deliver a
 * row before them later: the database-specific half of the outbox source. One instance per task, used by its poll
 * loop only.
 */
interface CommitOrderReader {

    /**
     * The next rows after {@code after}, in delivery order, at most {@code max}; empty when none is safe yet.
     * Every row before the last one returned has been returned (now or earlier), so the last one's position is
     * a sound offset.
     */
    List<OutboxEvent> read(Connection connection, OutboxPosition after, int max) throws SQLException;

    /**
     * Whether the last read stopped in front of rows whose transactions are still open (expected soon): the task
     * then reads again after a short pause instead of the full poll interval.
     */
    default boolean waitingForCommits() {
        return false;
    }

    /**
     * Up to {@code max} ids (as the driver returns them, ready to bind) of rows still in the table at or before a
     * position whose offset Kafka Connect has committed: the rows the cleanup may delete.
     */
    List<Object> deliveredIds(Connection connection, OutboxPosition committed, int max) throws SQLException;

    /** The first column of every row {@code statement} returns, as the driver gives it (ready to bind again). */
    static List<Object> firstColumn(PreparedStatement statement) throws SQLException {
        var values = new ArrayList<Object>();
        try (var rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getObject(1));
            }
        }
        return values;
    }
}
