package io.onramp.connect.source.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
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
 *   <li>incrementing modes remember the ids missing below the highest id read ({@link GapTracker}, at most
 *       {@link #MAX_GAPS}) and look for every one of them again every round until a row fills it or it times out,
 *       so a transaction that took an id and commits after a higher id was read is not skipped either.</li>
 * </ul>
 * A gap times out only when a round that started at least {@code incrementing.gap.timeout.ms} after it opened has
 * looked for it in vain: every round looks for all open gaps ({@link #GAPS_PER_QUERY} per query), and only the
 * start of a round that read all its queries to the end counts. So a row whose transaction commits within the
 * timeout after its gap opened is read however late, or slow, the rounds are.
 *
 * <p>Offset: {@code gap.text} (the tracker's gaps, {@link GapText}) and {@code max} (the highest id read), {@code ts}
 * and {@code id} of the last row read in order. The gap text is one String shared by records until the gaps change.
 * {@code gaps} holds {@code <max>|}: the format of version 0.1.0 ({@code max|from~to@since,...}) with no gap list, so
 * that version, after a rollback or on an older worker during a rolling upgrade, resumes above the highest id read
 * (it only loses the open gaps) instead of failing on, or re-reading the table for, a text it cannot parse. Read
 * here: {@code gap.text} with {@code max}; else {@code gaps} in the 0.1.0 format (highest id and gaps in it), or
 * {@code gaps} as gap text with {@code max} (what main wrote on 2 December before {@code gap.text}).
 */
final class GapTrackingReader extends IncrementalReader {

    private static final Logger log = LoggerFactory.getLogger(GapTrackingReader.class);
    /** {@code <max>|}, for version 0.1.0; read here only when {@link #GAP_TEXT} is absent. */
    static final String GAPS = "gaps";
    static final String GAP_TEXT = "gap.text";
    static final String MAX = "max";
    static final String ID = "id";
    static final String TS = "ts";
    /** The most gaps tracked per target; it also bounds the gap text each record's offset carries. */
    static final int MAX_GAPS = 1_000;
    static final int GAPS_PER_QUERY = 200;

    private final GapTracker tracker; // null in mode timestamp
    private final GapMetrics metrics; // null in mode timestamp
    private long roundStartMs;
    private Long searchedAtMs; // start of the last round that read every query to the end (looked for every gap)
    private Long lastId;
    private boolean resumedTimestamp; // timestamp mode after a restart: rows at the last timestamp are read again

    GapTrackingReader(ReadTarget target, ReaderContext ctx, Map<String, Object> offset) {
        super(target, ctx);
        long timeout = ctx.config().gapTimeoutMs();
        if (columns.incrementing != null) {
            tracker = restore(offset, timeout);
            metrics = new GapMetrics(ctx.connectorName(), target.table() != null ? target.table().toConfigText() : "query");
        } else {
            tracker = null;
            metrics = null;
        }
        if (offset != null) {
            lastId = offset.get(ID) instanceof Number id ? id.longValue() : null;
            String storedTs = (String) offset.get(TS);
            resumeTimestamp(storedTs);
            resumedTimestamp = storedTs != null && columns.mode == JdbcMode.TIMESTAMP;
        }
    }

    private GapTracker restore(Map<String, Object> offset, long timeout) {
        if (offset == null) {
            return new GapTracker(timeout, MAX_GAPS);
        }
        String key = offset.get(GAP_TEXT) instanceof String ? GAP_TEXT : GAPS;
        if (!(offset.get(key) instanceof String text)) {
            return new GapTracker(timeout, MAX_GAPS);
        }
        Long max = offset.get(MAX) instanceof Number n ? n.longValue() : null;
        try {
            return GapTracker.decode(text, max, timeout, MAX_GAPS);
        } catch (IllegalArgumentException e) {
            throw new ConnectException("the stored offset of " + target.describe() + " cannot be read: its '" + key + "' entry: "
                    + e.getMessage(), e);
        }
    }

    @Override
    protected List<QueryPlan> plan(Connection c) throws SQLException {
        long now = ctx.clock().millis();
        List<QueryPlan> plans = new ArrayList<>();
        roundStartMs = now;
        if (tracker != null) {
            if (searchedAtMs != null) {
                GapTracker.Count expired = tracker.expire(searchedAtMs);
                if (expired.gaps() > 0) {
                    metrics.gapsTimedOut.add(expired.gaps());
                    metrics.idsTimedOut.add(expired.ids());
                    log.info("{}: gave up waiting for {} missing id(s) in {} gap(s), open for {} ms or more (rolled back or deleted)",
                            target.describe(), expired.ids(), expired.gaps(), ctx.config().gapTimeoutMs());
                }
            }
            // timestamp+incrementing before its first row has no bound yet: the main query returns every gap's rows
            if (tracker.hasGaps() && (columns.mode == JdbcMode.INCREMENTING || lastTs != null)) {
                plans.addAll(gapPlans());
            }
            metrics.gapsOpen.set(tracker.size());
        }
        plans.add(mainPlan(c));
        return plans;
    }

    /** Every open gap, {@link #GAPS_PER_QUERY} to a query: none waits for the lower ones to fill or expire. */
    private List<QueryPlan> gapPlans() {
        List<GapTracker.Gap> gaps = tracker.gaps();
        List<QueryPlan> plans = new ArrayList<>();
        for (int i = 0; i < gaps.size(); i += GAPS_PER_QUERY) {
            plans.add(gapPlan(gaps.subList(i, Math.min(gaps.size(), i + GAPS_PER_QUERY))));
        }
        return plans;
    }

    /** Rows filling gaps that the main query will not return (for timestamp+incrementing: at or before the last row). */
    private QueryPlan gapPlan(List<GapTracker.Gap> gaps) {
        String inc = columns.incrementingSql();
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(target.from(dialect)).append(" WHERE (");
        for (int i = 0; i < gaps.size(); i++) {
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
        searchedAtMs = roundStartMs;
        reportDropped();
    }

    @Override
    protected void roundFailed() {
        reportDropped();
        // timestamp mode orders by timestamp alone: rows sharing the last emitted timestamp may not all be out yet
        resumedTimestamp = columns.mode == JdbcMode.TIMESTAMP && lastTs != null;
    }

    /** One WARN per round for the gaps dropped for capacity (counted in the metrics too). */
    private void reportDropped() {
        if (tracker == null) {
            return;
        }
        GapTracker.Count dropped = tracker.takeDropped();
        if (dropped.gaps() > 0) {
            metrics.gapsDroppedForCapacity.add(dropped.gaps());
            metrics.idsDroppedForCapacity.add(dropped.ids());
            log.warn("{}: more than {} id gaps were open; the lowest {} gap(s) ({} id(s)) are no longer looked for, so a row "
                    + "committed in them later is not read", target.describe(), MAX_GAPS, dropped.gaps(), dropped.ids());
        }
        metrics.gapsOpen.set(tracker.size());
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
        super.close();
    }

    private Map<String, Object> offset() {
        var offset = new TreeMap<String, Object>();
        if (tracker != null) {
            offset.put(GAP_TEXT, tracker.encodedGaps());
            offset.put(GAPS, tracker.maxOnlyEarlierFormat());
            if (tracker.maxSeen() != null) {
                offset.put(MAX, tracker.maxSeen());
            }
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
