package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.JdbcErrors;
import io.onramp.connect.core.jdbc.PostgresDialect;
import io.onramp.connect.core.jdbc.TableId;
import io.onramp.connect.core.task.HandOverContext;
import io.onramp.connect.core.task.PollWorker;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls its share of the tables (or the custom query), one reader each, round-robin. {@link #start} does no database
 * work: Connect never retries a start that failed, so a database that is down when the task starts would fail it
 * for good. The first poll looks up the tables' keys and makes the readers; while the database cannot be reached it
 * throws {@link RetriableException}, at most once per {@code connection.backoff.ms}. The readers run on a
 * {@link PollWorker} thread: a poll returns within {@link #POLL_WAIT} while a bulk-diff run reads and sorts a
 * table, and {@link #stop()} (which Connect calls on the task thread, after a poll) ends that work within
 * {@link #STOP_DEADLINE}.
 */
public class JdbcSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(JdbcSourceTask.class);
    /** Task config key: the task's tables ({@link TaskTables}), each as its kind and {@link TableId#toConfigText()}. */
    static final String TABLES = "onramp.task.tables";
    /** How long a poll waits for the readers while they work; it bounds how long a stop request waits for it. */
    static final Duration POLL_WAIT = Duration.ofSeconds(1);
    /** Within Connect's default task.shutdown.graceful.timeout.ms (5 s) together with one {@link #POLL_WAIT}. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(3);
    /** System property that turns mode bulk's read-ahead thread off ({@code false}), to measure what it brings. */
    static final String READ_AHEAD_PROPERTY = "onramp.jdbc.readAhead";

    private final Clock clock;
    private JdbcSourceConfig config;
    private ReaderContext ctx;
    private String tables;
    /** Empty until the first poll that reached the database made them; then never changed. */
    private volatile List<TargetReader> readers = List.of();
    private boolean readersMade;
    private boolean stopping; // guarded by this: no readers are made once stop() began
    private long nextAttemptAtMs;
    private int next;
    private HandOverContext workContext;
    private PollWorker<List<SourceRecord>> work;

    private final Duration pollWait;

    public JdbcSourceTask() {
        this(Clock.systemUTC());
    }

    JdbcSourceTask(Clock clock) {
        this(clock, POLL_WAIT);
    }

    /** @param pollWait how long a poll waits for the readers' work; tests shorten it to catch a run under way */
    JdbcSourceTask(Clock clock, Duration pollWait) {
        this.clock = clock;
        this.pollWait = pollWait;
    }

    @Override
    public String version() {
        return OnrampVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new JdbcSourceConfig(props);
        Dialect dialect = Dialects.forUrl(config.connection().url());
        var connections = new JdbcConnectionFactory(config.connection(), dialect);
        ctx = new ReaderContext(config, connections, dialect, new ColumnMapper(dialect, config.numericMapping(), config.dbTimeZone()),
                clock, props.getOrDefault("name", "jdbc-source"));
        tables = props.getOrDefault(TABLES, "");
        workContext = new HandOverContext(context);
        work = new PollWorker<>("onramp-jdbc-source-" + props.getOrDefault("name", "jdbc-source") + "-"
                + Integer.toHexString(System.identityHashCode(this)), this::pollReaders, pollWait, workContext::handOver);
        log.info("JDBC source task started: mode {}, {} table(s) on {}", config.mode().configValue(),
                config.query() != null ? "a custom query" : TaskTables.decode(tables).size(), JdbcErrors.maskUrl(config.connection().url()));
    }

    /**
     * Makes the readers, on the poll thread: a database that cannot be reached now is a {@link RetriableException}
     * (the next attempt waits {@code connection.backoff.ms}), a refused login or any other failure fails the task.
     */
    private boolean makeReaders() throws InterruptedException {
        long now = clock.millis();
        if (now < nextAttemptAtMs) {
            Thread.sleep(Math.min(nextAttemptAtMs - now, 200)); // short, so that stop() is never kept waiting
            return false;
        }
        List<ReadTarget> targets;
        try {
            targets = targets();
        } catch (SQLException e) {
            String detail = JdbcErrors.describe(e, ctx.connections().settings());
            if (ctx.dialect().isRetriable(e)) {
                nextAttemptAtMs = clock.millis() + config.connection().backoffMs();
                log.warn("Could not reach the database to look up the tables' keys, trying again in {} ms: {}",
                        config.connection().backoffMs(), detail);
                throw new RetriableException("could not reach the database to look up the tables' keys (will try again): " + detail, e);
            }
            throw new ConnectException("could not look up the tables' keys: " + detail, e);
        }
        List<TargetReader> made = new ArrayList<>();
        try {
            for (ReadTarget target : targets) {
                Map<String, Object> offset = context.offsetStorageReader().offset(target.partition());
                made.add(readerFor(target, ctx, offset));
            }
        } catch (RuntimeException e) {
            made.forEach(TargetReader::close); // a bad stored offset of one table: the others' metrics beans go too
            throw e;
        }
        synchronized (this) {
            if (stopping) {
                made.forEach(TargetReader::close);
                return false;
            }
            readers = List.copyOf(made);
        }
        readersMade = true;
        log.info("JDBC source task reading {}", targets.stream().map(ReadTarget::describe).toList());
        return true;
    }

    private List<ReadTarget> targets() throws SQLException, InterruptedException {
        if (config.query() != null) {
            return List.of(new ReadTarget(null, config.query(), config.topicPrefix(), List.of(), false));
        }
        List<ReadTarget> targets = new ArrayList<>();
        try (Connection c = ctx.connections().open()) {
            for (String entry : TaskTables.decode(tables)) {
                String[] parts = entry.split("\t", 2);
                TableId table = TableId.parse(parts[1]);
                List<String> key = TableDiscovery.primaryKey(c, table);
                targets.add(new ReadTarget(table, null, ReadTarget.topicFor(config.topicPrefix(), table.table()), key,
                        "V".equals(parts[0])));
            }
        }
        return targets;
    }

    private TargetReader readerFor(ReadTarget target, ReaderContext ctx, Map<String, Object> offset) {
        return switch (config.mode()) {
            // bulk records carry no offset, so the next batch can be read while the worker sends this one
            case BULK -> Boolean.parseBoolean(System.getProperty(READ_AHEAD_PROPERTY, "true"))
                    ? new ReadAheadReader(new BulkReader(target, ctx), clock,
                            "onramp-jdbc-read-ahead|" + ctx.connectorName() + "|" + target.describe())
                    : new BulkReader(target, ctx);
            case BULK_DIFF -> new BulkDiffReader(target, ctx, workContext, offset);
            default -> usesTransactionHorizon(target, ctx.dialect(), config) ? new XidWindowReader(target, ctx, offset)
                    : new GapTrackingReader(target, ctx, offset);
        };
    }

    /** PostgreSQL tables (not views, not a custom query) have row versions to bound reads by, unless turned off. */
    static boolean usesTransactionHorizon(ReadTarget target, Dialect dialect, JdbcSourceConfig config) {
        return config.transactionHorizon() && dialect instanceof PostgresDialect && target.table() != null && !target.view();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        return work.poll();
    }

    /** One round over the readers, on the poll thread: the first batch, or null after a short sleep. */
    private List<SourceRecord> pollReaders() throws InterruptedException {
        if (!readersMade && !makeReaders()) {
            return null;
        }
        List<TargetReader> readers = this.readers;
        long now = clock.millis();
        for (int i = 0; i < readers.size(); i++) {
            TargetReader reader = readers.get(next);
            List<SourceRecord> batch = reader.poll(config.batchMaxRows(), now);
            if (!reader.midTransaction()) {
                next = (next + 1) % readers.size(); // else the same reader goes on: its transaction is open
            }
            if (batch != null) {
                return batch;
            }
        }
        long wake = readers.stream().mapToLong(TargetReader::nextRoundAtMs).min().orElse(now + 1000);
        long sleep = Math.min(Math.max(wake - clock.millis(), 0), 200);
        if (sleep > 0) {
            Thread.sleep(sleep); // short, so that stop() is never kept waiting
        }
        return null;
    }

    /** Mode bulk-diff counts acknowledgements: a run becomes the archived state once all its records are written. */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        Map<String, ?> partition = record.sourcePartition();
        for (TargetReader reader : readers) {
            if (reader instanceof BulkDiffReader && ((BulkDiffReader) reader).reads(partition)) {
                reader.acknowledged(record);
            }
        }
    }

    @Override
    public void stop() {
        List<TargetReader> stopped;
        synchronized (this) {
            stopping = true;
            stopped = readers;
        }
        stopped.forEach(TargetReader::requestStop); // a sort in progress gives up at its next check
        if (work != null) {
            work.stop(STOP_DEADLINE);
        }
        // Closed also if the poll thread is still in a statement that ignores interrupts: that ends it.
        stopped.forEach(TargetReader::close);
        readers = List.of();
    }
}
