package io.onramp.connect.source.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incremental modes where no transaction horizon is available (MariaDB/MySQL, other databases, views and custom
 * queries on PostgreSQL):
 * <ul>
 *   <li>timestamp modes read a row only once its timestamp is {@code timestamp.delay.interval.ms} older than the
 *       database's clock (the visibility window), so a transaction that commits within that delay after setting
 *       the timestamp is not skipped;</li>
 *   <li>incrementing modes remember the ids missing below the highest id read ({@link GapTracker}) and look for
 *       them again every round until a row fills them or {@code incrementing.gap.timeout.ms} passes, so a
 *       transaction that took an id and commits after a higher id was read is not skipped either.</li>
 * </ul>
 * Offset: {@code gaps} (the tracker's state), {@code ts} and {@code id} of the last row read in order.
 */
final class GapTrackingReader extends IncrementalReader {

    private static final Logger log = LoggerFactory.getLogger(GapTrackingReader.class);
    static final String GAPS = "gaps";
    static final String ID = "id";
    static final String TS = "ts";
    private static final int MAX_GAPS = 10_000;
    private static final int GAPS_PER_QUERY = 200;

    private final GapTracker tracker; // null in mode timestamp
    private Long lastId;
    private boolean resumedTimestamp; // timestamp mode after a restart: rows at the last timestamp are read again

    GapTrackingReader(ReadTarget target, ReaderContext ctx, Map<String, Object> offset) {
        super(target, ctx);
        long timeout = ctx.config().gapTimeoutMs();
        if (columns.incrementing != null) {
            tracker = offset != null && offset.get(GAPS) instanceof String state ? GapTracker.decode(state, timeout, MAX_GAPS)
                    : new GapTracker(timeout, MAX_GAPS);
        } else {
            tracker = null;
        }
        if (offset != null) {
            lastId = offset.get(ID) instanceof Number id ? id.longValue() : null;
            String storedTs = (String) offset.get(TS);
            resumeTimestamp(storedTs);
            resumedTimestamp = storedTs != null && columns.mode == JdbcMode.TIMESTAMP;
        }
    }

    @Override
    protected List<QueryPlan> plan(Connection c) throws SQLException {
        long now = ctx.clock().millis();
        List<QueryPlan> plans = new ArrayList<>();
        if (tracker != null) {
            long given = tracker.expire(now);
            if (given > 0) {
                log.info("{}: gave up waiting for {} missing id(s) after {} ms (rolled back or deleted)", target.describe(), given,
                        ctx.config().gapTimeoutMs());
            }
            if (!tracker.gaps().isEmpty() && (columns.mode == JdbcMode.INCREMENTING || lastTs != null)) {
                plans.add(gapPlan());
            }
        }
        plans.add(mainPlan(c));
        return plans;
    }

    /** Rows filling gaps that the main query will not return (for timestamp+incrementing: at or before the last row). */
    private QueryPlan gapPlan() {
        String inc = columns.incrementingSql();
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(target.from(dialect)).append(" WHERE (");
        List<GapTracker.Gap> gaps = tracker.gaps();
        for (int i = 0; i < Math.min(gaps.size(), GAPS_PER_QUERY); i++) {
            if (i > 0) {
                sql.append(" OR ");
            }
            sql.append(inc).append(" BETWEEN ? AND ?");
            params.add(gaps.get(i).from());
            params.add(gaps.get(i).to());
        }
        sql.append(')');
        if (columns.mode == JdbcMode.TIMESTAMP_INCREMENTING) {
            String ts = columns.timestampSql();
            sql.append(" AND (").append(ts).append(" < ? OR (").append(ts).append(" = ? AND ").append(inc).append(" <= ?))");
            params.add(lastTs);
            params.add(lastTs);
            params.add(lastId);
        }
        sql.append(" ORDER BY ").append(inc);
        return new QueryPlan(sql.toString(), params, this::onGapRow);
    }

    private QueryPlan mainPlan(Connection c) throws SQLException {
        String inc = columns.incrementingSql();
        String ts = columns.timestampSql();
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (ts != null) {
            long delay = ctx.config().timestampDelayMs();
            where.add(ts + " < ?");
            params.add(columns.timestampValues.fromInstant(dialect.now(c).minusMillis(delay)));
        }
        switch (columns.mode) {
            case INCREMENTING -> {
                if (tracker.maxSeen() != null) {
                    where.add(inc + " > ?");
                    params.add(tracker.maxSeen());
                }
            }
            case TIMESTAMP -> {
                if (lastTs != null) {
                    where.add(ts + (resumedTimestamp ? " >= ?" : " > ?"));
                    params.add(lastTs);
                }
            }
            case TIMESTAMP_INCREMENTING -> {
                if (lastTs != null && lastId != null) {
                    where.add("(" + ts + " > ? OR (" + ts + " = ? AND " + inc + " > ?))");
                    params.add(lastTs);
                    params.add(lastTs);
                    params.add(lastId);
                }
            }
            default -> throw new IllegalStateException("not an incremental mode: " + columns.mode);
        }
        String sql = "SELECT * FROM " + target.from(dialect) + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY " + columns.orderBy();
        return new QueryPlan(sql, params, this::onMainRow);
    }

    // Both handlers read all of the row before they advance the state: a row that fails to read leaves it as it was.

    private SourceRecord onGapRow(ResultSet rs, RowConverter converter) throws SQLException {
        long id = columns.readIncrementing(rs);
        Struct value = converter.value(rs);
        if (!tracker.seen(id, ctx.clock().millis())) {
            return null; // filled by an earlier round already
        }
        return record(converter, value, offset());
    }

    private SourceRecord onMainRow(ResultSet rs, RowConverter converter) throws SQLException {
        Long id = tracker != null ? columns.readIncrementing(rs) : null;
        Object ts = columns.timestamps.isEmpty() ? null : columns.readTimestamp(rs);
        Struct value = converter.value(rs);
        if (tracker != null) {
            tracker.seen(id, ctx.clock().millis());
            lastId = id;
        }
        if (!columns.timestamps.isEmpty()) {
            lastTs = ts;
        }
        return record(converter, value, offset());
    }

    @Override
    protected void roundFinished() {
        resumedTimestamp = false;
    }

    @Override
    protected void roundFailed() {
        // timestamp mode orders by timestamp alone: rows sharing the last emitted timestamp may not all be out yet
        resumedTimestamp = columns.mode == JdbcMode.TIMESTAMP && lastTs != null;
    }

    private Map<String, Object> offset() {
        var offset = new TreeMap<String, Object>();
        if (tracker != null) {
            offset.put(GAPS, tracker.encode());
        }
        if (lastId != null && columns.mode == JdbcMode.TIMESTAMP_INCREMENTING) {
            offset.put(ID, lastId);
        }
        if (lastTs != null) {
            offset.put(TS, columns.timestampValues.encode(lastTs));
        }
        return offset;
    }
}
