package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.ColumnDescriptor;
import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.JdbcErrors;
import io.onramp.connect.core.jdbc.SqlFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@link ReadTarget} in rounds: every poll interval a round runs the mode's queries ({@link #plan}) one
 * after the other, streaming each through a forward-only cursor, {@code batch.max.rows} records per poll. Each mode
 * keeps what it has emitted in its own state and the records' offsets; a failed round is started again from that
 * state on a new connection.
 *
 * <p>A row handler advances that state as it turns a row into a record, so the records of a poll that fails part-way
 * (a later query of the round, the next fetch, the round's closing commit) are returned all the same and the failure
 * is thrown by the next poll: the state is then that of the last record returned, never of a record thrown away.
 */
abstract class TableReader implements TargetReader {

    private static final Logger log = LoggerFactory.getLogger(TableReader.class);

    /** One query of a round: its SQL, its bound values and what to do with each row. */
    record QueryPlan(String sql, List<Object> params, RowHandler handler) {
    }

    /** Turns the current row into a record (or null to leave it out). */
    @FunctionalInterface
    interface RowHandler {
        SourceRecord onRow(ResultSet rs, RowConverter converter) throws SQLException;
    }

    protected final ReadTarget target;
    protected final ReaderContext ctx;
    protected final Dialect dialect;
    protected final Map<String, Object> partition;
    private Connection connection;
    private List<ColumnDescriptor> described;
    private final Deque<QueryPlan> plans = new ArrayDeque<>();
    private QueryPlan current;
    private PreparedStatement statement;
    private ResultSet rows;
    private RowConverter converter;
    private RuntimeException failedAfterBatch; // thrown by the next poll: this poll's records went out first
    private boolean inRound;
    private long nextRoundAtMs;
    protected long roundRows;

    TableReader(ReadTarget target, ReaderContext ctx) {
        this.target = target;
        this.ctx = ctx;
        this.dialect = ctx.dialect();
        this.partition = target.partition();
    }

    /** When the next round may start (epoch ms), for the task's sleep. */
    @Override
    public long nextRoundAtMs() {
        return inRound || failedAfterBatch != null ? 0 : nextRoundAtMs;
    }

    @Override
    public final List<SourceRecord> poll(int max, long nowMs) throws InterruptedException {
        if (failedAfterBatch != null) {
            RuntimeException failure = failedAfterBatch;
            failedAfterBatch = null;
            throw failure;
        }
        List<SourceRecord> batch = new ArrayList<>();
        try {
            if (!inRound) {
                if (nowMs < nextRoundAtMs) {
                    return null;
                }
                startRound();
            }
            while (batch.size() < max && inRound) {
                if (rows == null && !openNext()) {
                    endRound(nowMs);
                    break;
                }
                if (rows.next()) {
                    SourceRecord record = current.handler().onRow(rows, converter);
                    if (record != null) {
                        batch.add(record);
                        roundRows++;
                    }
                } else {
                    closeCursor();
                }
            }
            return batch.isEmpty() ? null : batch;
        } catch (SQLException e) {
            closeConnection();
            inRound = false;
            plans.clear();
            roundFailed();
            RuntimeException failure = translate(e, ctx, target);
            if (batch.isEmpty()) {
                throw failure;
            }
            failedAfterBatch = failure;
            return batch;
        }
    }

    private void startRound() throws SQLException, InterruptedException {
        if (connection == null) {
            connection = ctx.connections().open();
        }
        if (described == null) {
            described = describe(connection);
            prepare(described);
        }
        roundRows = 0;
        plans.addAll(plan(connection));
        inRound = true;
    }

    private boolean openNext() throws SQLException {
        current = plans.poll();
        if (current == null) {
            return false;
        }
        statement = dialect.prepareStreamingQuery(connection, current.sql(), ctx.config().batchMaxRows(),
                ctx.config().queryTimeoutSeconds());
        for (int i = 0; i < current.params().size(); i++) {
            statement.setObject(i + 1, current.params().get(i));
        }
        rows = statement.executeQuery();
        List<ColumnDescriptor> columns = ColumnDescriptor.of(rows.getMetaData());
        if (converter == null || !converter.columns().equals(columns)) {
            converter = new RowConverter(columns, ctx.mapper(), target.keyColumns(), ctx.json(), target.describe());
            resultColumns(columns);
        }
        return true;
    }

    private void endRound(long nowMs) throws SQLException {
        closeCursor();
        if (!connection.getAutoCommit()) {
            connection.commit(); // ends the cursor's transaction (PostgreSQL) and its snapshot
        }
        inRound = false;
        nextRoundAtMs = nowMs + ctx.config().pollIntervalMs();
        roundFinished();
        log.debug("{}: round finished, {} record(s)", target.describe(), roundRows);
    }

    /** The columns of the target's result, from a query that returns no row. */
    private List<ColumnDescriptor> describe(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + target.from(dialect) + " WHERE 1 = 0");
                ResultSet rs = ps.executeQuery()) {
            return ColumnDescriptor.of(rs.getMetaData());
        } finally {
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** Called once with the target's columns before the first round (check columns, find their types). */
    protected void prepare(List<ColumnDescriptor> columns) {
    }

    /**
     * Called before the first row of a result whose columns differ from the previous result's (the first one, and
     * after a column was added or dropped: queries are {@code SELECT *}, so columns move).
     */
    protected void resultColumns(List<ColumnDescriptor> columns) {
    }

    /** The queries of the next round; may run statements of its own on {@code c} first. */
    protected abstract List<QueryPlan> plan(Connection c) throws SQLException;

    /** Called when every query of a round was read to its end. */
    protected void roundFinished() {
    }

    /** Called when a round failed; the next one starts from the state of the last record returned. */
    protected void roundFailed() {
    }

    protected final SourceRecord record(RowConverter converter, ResultSet rs, Map<String, ?> offset) throws SQLException {
        return record(converter, converter.value(rs), offset);
    }

    /** The record of a row already read, for handlers that read every value before they advance their state. */
    protected final SourceRecord record(RowConverter converter, Struct value, Map<String, ?> offset) {
        return new SourceRecord(partition, offset, target.topic(), null, converter.keySchema(), converter.key(value),
                converter.valueSchema(), value);
    }

    /** The quoted column, or a ConnectException naming the key that names it when the target lacks it. */
    protected static int requireColumn(List<ColumnDescriptor> columns, String column, String key, ReadTarget target) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new ConnectException(target.describe() + " has no column '" + column + "' (named in '" + key + "')");
    }

    /**
     * A failed read as the task error Connect should see: retriable for a transient failure. Its text, and the
     * cause attached (Connect prints the chain in the task's trace), hold the SQLSTATE and kind of error but not
     * the server's text where that may quote a row value.
     */
    static RuntimeException translate(SQLException e, ReaderContext ctx, ReadTarget target) {
        String detail = JdbcErrors.describeRead(e, ctx.connections().settings());
        SQLException cause = SqlFailures.withMessage(e, detail);
        Dialect dialect = ctx.dialect();
        if (dialect.isRetriable(e)) {
            log.warn("Reading {} failed with a transient error, reconnecting on the next poll: {}", target.describe(), detail);
            return new RetriableException("reading " + target.describe() + " failed (will reconnect and resume): " + detail, cause);
        }
        if (dialect.isMissingObject(e)) {
            return new ConnectException(target.describe() + " or one of its columns does not exist any more (dropped or renamed?): "
                    + detail, cause);
        }
        return new ConnectException("reading " + target.describe() + " failed: " + detail, cause);
    }

    private void closeCursor() {
        closeQuietly(rows);
        closeQuietly(statement);
        rows = null;
        statement = null;
    }

    private void closeConnection() {
        closeCursor();
        closeQuietly(connection);
        connection = null;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("Ignoring a failure to close", e);
            }
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}
