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
 * Polls its share of the tables (or the custom query), one reader each, round-robin. The readers run on a
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
    private final List<TargetReader> readers = new ArrayList<>();
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
        var ctx = new ReaderContext(config, connections, dialect, new ColumnMapper(dialect, config.numericMapping(), config.dbTimeZone()),
                clock, props.getOrDefault("name", "jdbc-source"));
        workContext = new HandOverContext(context);
        List<ReadTarget> targets = targets(props.getOrDefault(TABLES, ""), connections);
        for (ReadTarget target : targets) {
            Map<String, Object> offset = context.offsetStorageReader().offset(target.partition());
            readers.add(readerFor(target, ctx, offset));
        }
        work = new PollWorker<>("onramp-jdbc-source-" + props.getOrDefault("name", "jdbc-source") + "-"
                + Integer.toHexString(System.identityHashCode(this)), this::pollReaders, pollWait, workContext::handOver);
        log.info("JDBC source task started: mode {}, {} on {}", config.mode().configValue(),
                targets.stream().map(ReadTarget::describe).toList(), JdbcErrors.maskUrl(config.connection().url()));
    }

    private List<ReadTarget> targets(String tables, JdbcConnectionFactory connections) {
        if (config.query() != null) {
            return List.of(new ReadTarget(null, config.query(), config.topicPrefix(), List.of(), false));
        }
        List<ReadTarget> targets = new ArrayList<>();
        try (Connection c = connections.open()) {
            for (String entry : TaskTables.decode(tables)) {
                String[] parts = entry.split("\t", 2);
                TableId table = TableId.parse(parts[1]);
                List<String> key = TableDiscovery.primaryKey(c, table);
                targets.add(new ReadTarget(table, null, ReadTarget.topicFor(config.topicPrefix(), table.table()), key,
                        "V".equals(parts[0])));
            }
        } catch (SQLException e) {
            throw new RetriableException("could not read the tables' keys: " + JdbcErrors.describe(e, connections.settings()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while starting", e);
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
        for (TargetReader reader : List.copyOf(readers)) {
            if (reader instanceof BulkDiffReader && ((BulkDiffReader) reader).reads(partition)) {
                reader.acknowledged(record);
            }
        }
    }

    @Override
    public void stop() {
        List<TargetReader> stopped = List.copyOf(readers);
        stopped.forEach(TargetReader::requestStop); // a sort in progress gives up at its next check
        if (work != null) {
            work.stop(STOP_DEADLINE);
        }
        // Closed also if the poll thread is still in a statement that ignores interrupts: that ends it.
        stopped.forEach(TargetReader::close);
        readers.clear();
    }
}
