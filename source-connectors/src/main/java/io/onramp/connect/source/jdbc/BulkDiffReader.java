package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.change.FlatStructText;
import io.onramp.connect.core.diff.DiffOptions;
import io.onramp.connect.core.diff.SnapshotDiff;
import io.onramp.connect.core.jdbc.ColumnDescriptor;
import io.onramp.connect.core.sort.DuplicateKeyException;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowCodec;
import io.onramp.connect.core.sort.RowLayout;
import io.onramp.connect.core.sort.SortedRunFile;
import io.onramp.connect.source.snapshot.ChangeRecordFactory;
import io.onramp.connect.source.snapshot.SnapshotArchive;
import io.onramp.connect.source.snapshot.SnapshotPublication;
import io.onramp.connect.source.snapshot.SnapshotSource;
import io.onramp.connect.source.snapshot.SortCancelledException;
import io.onramp.connect.source.snapshot.SortedRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mode {@code bulk-diff}: every poll interval one run reads the whole target through a streaming cursor, sorts it
 * by key into the archive ({@code snapshot.archive.path}) and diffs it against the run applied before, exactly as
 * the file source's snapshot mode diffs dumps: the same sorter, diff, records and publication. Only the changes
 * are emitted, all of one run in one transaction when the worker lets the connector define boundaries; the run
 * becomes the archived state only once all of them are committed (every record acknowledged).
 *
 * <p>Source partition: the target's ({@link ReadTarget#partition()}). Offset: the run's name, how many of its
 * events were sent, and whether the last one was ({@link SnapshotPublication}). The run's sorted rows stay in the
 * archive until it is promoted, so a restarted task diffs the very same rows again and resumes after the events
 * already committed, or, when the last one was, only promotes the run. Without an archived state (the first run,
 * or the archive lost) every row is emitted as a read, never a delete.
 */
final class BulkDiffReader implements TargetReader {

    private static final Logger log = LoggerFactory.getLogger(BulkDiffReader.class);
    /** Run names: the epoch millisecond the run started, strictly increasing per target. */
    private static final Pattern RUN_NAME = Pattern.compile("\\d+");
    /** How long the task may sleep while the last records of a run are being acknowledged. */
    private static final long ACK_WAIT_MS = 20;

    static final Schema SOURCE_SCHEMA = SnapshotSource.schema("io.onramp.connect.source.jdbc.Source")
            .field("run", Schema.STRING_SCHEMA)
            .build();

    private final ReadTarget target;
    private final ReaderContext ctx;
    private final SourceTaskContext context;
    private final Map<String, Object> partition;
    private final SnapshotArchive archive;
    private final List<String> keyFields;
    private final List<KeyColumn> keyColumns;
    private Map<String, Object> storedOffset;
    private boolean recovered;
    private volatile SnapshotPublication publication; // read by the producer callback thread in acknowledged()
    private Path publishedRun;
    private long nextRoundAtMs;
    private volatile boolean stopping;

    BulkDiffReader(ReadTarget target, ReaderContext ctx, SourceTaskContext context, Map<String, Object> offset) {
        this.target = target;
        this.ctx = ctx;
        this.context = context;
        this.partition = target.partition();
        this.storedOffset = offset;
        this.archive = new SnapshotArchive(ctx.config().snapshotArchivePath(), archiveName(ctx.connectorName(), target));
        this.keyFields = keyFields(ctx.config(), target);
        this.keyColumns = keyFields.stream().map(KeyColumn::text).toList();
    }

    /** The configured key columns, else the table's primary key. */
    static List<String> keyFields(JdbcSourceConfig config, ReadTarget target) {
        List<String> configured = config.snapshotKeyFields();
        List<String> key = configured.isEmpty() ? target.keyColumns() : configured;
        if (key.isEmpty()) {
            throw new ConnectException(target.describe() + " has no primary key: set '" + JdbcSourceConfig.SNAPSHOT_KEY_FIELDS
                    + "' to the columns that identify a row (mode 'bulk-diff')");
        }
        return key;
    }

    /** The target's name in the archive: connector and table ({@link SnapshotArchive#nameOf}). */
    static String archiveName(String connectorName, ReadTarget target) {
        return SnapshotArchive.nameOf(connectorName, target.table() != null ? target.table().toConfigText() : "query");
    }

    @Override
    public List<SourceRecord> poll(int max, long nowMs) throws InterruptedException {
        if (stopping) {
            return null;
        }
        try {
            if (!recovered) {
                recover();
                recovered = true;
            }
            if (publication != null && publication.committed()) {
                finish();
            }
            if (publication == null) {
                if (nowMs < nextRoundAtMs) {
                    return null;
                }
                publication = startRun(nowMs);
                if (publication == null) {
                    return null;
                }
                if (publication.exhausted()) {
                    finish(); // nothing changed: nothing to commit, the archive moves on at once
                    return null;
                }
            }
            return publication.nextBatch(max, context.transactionContext());
        } catch (SortCancelledException e) {
            log.info("Stopped while sorting a run of {}; the next task reads it again", target.describe());
            return null;
        } catch (SQLException e) {
            throw TableReader.translate(e, ctx, target);
        }
    }

    /**
     * Picks up what a previous task left: a run whose events were all committed is promoted, one whose events
     * were partly sent is published again from its sorted rows and resumes after them. Then removes the runs and
     * spill files of attempts that died before they were sent.
     */
    private void recover() throws SQLException, InterruptedException {
        String resumed = null;
        if (storedOffset != null && storedOffset.get(SnapshotPublication.SNAPSHOT) instanceof String run
                && RUN_NAME.matcher(run).matches() && Files.exists(archive.runOf(run))) {
            SnapshotArchive.Applied applied = archive.current();
            boolean promoted = applied != null && applied.run().equals(archive.runOf(run));
            if (!promoted && SnapshotPublication.completedBefore(storedOffset, run)) {
                archive.promote(run, -1, -1, run, archive.runOf(run));
                log.info("Run {} of {} was committed before a restart; its state is archived now", run, target.describe());
            } else if (!promoted) {
                publication = resume(run, SnapshotPublication.sentBefore(storedOffset, run));
                resumed = publication == null ? null : run;
            }
        }
        String keep = resumed;
        archive.removeLeftovers(name -> RUN_NAME.matcher(name).matches() && !name.equals(keep));
        storedOffset = null;
    }

    /** The run {@code run}, sorted before a restart, published again after its first {@code sent} events. */
    private SnapshotPublication resume(String run, long sent) throws SQLException, InterruptedException {
        Schema schema;
        try (Connection c = ctx.connections().open()) {
            schema = describe(c);
        }
        RowLayout layout;
        try (SortedRunFile.Reader reader = SortedRunFile.open(archive.runOf(run))) {
            layout = reader.layout();
        }
        List<String> columns = schema.fields().stream().map(org.apache.kafka.connect.data.Field::name).toList();
        if (!layout.columnNames().equals(columns)) {
            log.warn("{} changed its columns since run {} was sorted; that run is read again as a new one", target.describe(), run);
            archive.discard(archive.runOf(run));
            return null;
        }
        SnapshotPublication resumed = publish(run, new FlatStructText(schema), Long.parseLong(run));
        resumed.skip(sent);
        log.info("Publishing run {} of {} again, resuming after event {}", run, target.describe(), sent);
        return resumed;
    }

    /** Reads and sorts the whole target into a new run, and returns its diff against the archived state. */
    private SnapshotPublication startRun(long nowMs) throws SQLException, InterruptedException {
        String run = nextRunName(nowMs);
        Path file = archive.runOf(run);
        long started = System.nanoTime();
        FlatStructText text;
        long rows;
        try (Connection c = ctx.connections().open()) {
            try (PreparedStatement statement = ctx.dialect().prepareStreamingQuery(c, "SELECT * FROM " + target.from(ctx.dialect()),
                    ctx.config().batchMaxRows(), ctx.config().queryTimeoutSeconds());
                    ResultSet rs = statement.executeQuery()) {
                var converter = new RowConverter(ColumnDescriptor.of(rs.getMetaData()), ctx.mapper(), List.of());
                text = flatText(converter.valueSchema());
                var cursor = new CursorRows(rs, converter, text, keyIndexes(text));
                rows = SortedRuns.write(cursor, new RowLayout(text.columnNames()), keyColumns, file,
                        ctx.config().snapshotSortMemoryBytes(), () -> stopping);
            } catch (ReadFailure e) {
                archive.discard(file);
                throw e.getCause();
            } catch (DuplicateKeyException e) {
                archive.discard(file);
                // Key values are row data: the message names the columns and row numbers only.
                throw new ConnectException(target.describe() + " has two rows (number " + e.firstLine() + " and "
                        + e.secondLine() + " of the run) with the same " + keyFields + ": '"
                        + JdbcSourceConfig.SNAPSHOT_KEY_FIELDS + "' must name columns that identify a row; nothing of this "
                        + "run was emitted");
            } catch (RuntimeException e) {
                archive.discard(file);
                throw e;
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback(); // ends the cursor's read-only transaction
                }
            }
        }
        log.info("Run {} of {}: {} rows read and sorted in {} ms", run, target.describe(), rows,
                (System.nanoTime() - started) / 1_000_000);
        return publish(run, text, nowMs);
    }

    /** The diff of {@code run} against the archived state, ready to be sent. */
    private SnapshotPublication publish(String run, FlatStructText text, long runStartedMs) {
        SnapshotArchive.Applied applied = archive.current();
        if (applied != null && !Files.exists(applied.run())) {
            log.warn("The archived state of {} ({}) is gone; run {} emits every row as a read", target.describe(),
                    applied.run(), run);
            applied = null;
        }
        SortedRunFile.Reader oldRows = applied == null ? null : SortedRunFile.open(applied.run());
        SortedRunFile.Reader newRows = SortedRunFile.open(archive.runOf(run));
        RowLayout oldLayout = oldRows != null ? oldRows.layout() : newRows.layout();
        var options = new DiffOptions(keyColumns, new HashSet<>(ctx.config().snapshotIgnoreFields()), true);
        SnapshotDiff diff = SnapshotDiff.of(oldLayout, oldRows != null ? oldRows : RowCodec.encoding(Collections.<Row>emptyIterator()),
                newRows.layout(), newRows, options);
        var factory = new ChangeRecordFactory(target.topic(), ctx.config().stateOutput(), text, keyFields,
                source(run, runStartedMs, applied == null), run);
        var inputs = new ArrayList<AutoCloseable>();
        if (oldRows != null) {
            inputs.add(oldRows);
        }
        inputs.add(newRows);
        publishedRun = archive.runOf(run);
        return new SnapshotPublication(run, partition, factory, diff, oldLayout.columnNames(), newRows.layout().columnNames(),
                List.of(), ctx.clock(), inputs);
    }

    private Struct source(String run, long runStartedMs, boolean first) {
        return SnapshotSource.of(SOURCE_SCHEMA, "jdbc", ctx.connectorName(), runStartedMs, first,
                target.table() != null ? target.table().toConfigText() : "query").put("run", run);
    }

    /** Every record of the run is acknowledged (so committed, on an exactly-once worker): it is the state now. */
    private void finish() {
        SnapshotPublication done = publication;
        done.close();
        archive.promote(done.name(), -1, -1, done.name(), publishedRun);
        publication = null;
        nextRoundAtMs = ctx.clock().millis() + ctx.config().pollIntervalMs();
        log.info("Run {} of {} applied in {} ms: {}", done.name(), target.describe(), done.elapsedMillis(), done.summary());
    }

    /** A name later than the archived run's, so names never repeat for a target. */
    private String nextRunName(long nowMs) {
        SnapshotArchive.Applied applied = archive.current();
        long last = applied != null && RUN_NAME.matcher(applied.snapshotFile()).matches() ? Long.parseLong(applied.snapshotFile()) : 0;
        return Long.toString(Math.max(nowMs, last + 1));
    }

    private Schema describe(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + target.from(ctx.dialect()) + " WHERE 1 = 0");
                ResultSet rs = ps.executeQuery()) {
            return new RowConverter(ColumnDescriptor.of(rs.getMetaData()), ctx.mapper(), List.of()).valueSchema();
        } finally {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        }
    }

    private FlatStructText flatText(Schema schema) {
        try {
            return new FlatStructText(schema);
        } catch (DataException e) {
            throw new ConnectException(target.describe() + ": " + e.getMessage() + " in mode 'bulk-diff' (read it through '"
                    + JdbcSourceConfig.QUERY + "' with the column cast to text)", e);
        }
    }

    private int[] keyIndexes(FlatStructText text) {
        int[] indexes = new int[keyFields.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = text.columnNames().indexOf(keyFields.get(i));
            if (indexes[i] < 0) {
                throw new ConnectException(target.describe() + " has no column '" + keyFields.get(i) + "' (named in '"
                        + JdbcSourceConfig.SNAPSHOT_KEY_FIELDS + "'); its columns are " + text.columnNames());
            }
        }
        return indexes;
    }

    @Override
    public long nextRoundAtMs() {
        SnapshotPublication current = publication;
        if (current == null) {
            return nextRoundAtMs;
        }
        return current.exhausted() ? ctx.clock().millis() + ACK_WAIT_MS : 0;
    }

    @Override
    public boolean midTransaction() {
        SnapshotPublication current = publication;
        return current != null && !current.exhausted();
    }

    /** Whether the records of {@code sourcePartition} are this reader's. */
    boolean reads(Map<String, ?> sourcePartition) {
        return partition.equals(sourcePartition);
    }

    @Override
    public void acknowledged(SourceRecord record) {
        SnapshotPublication current = publication;
        if (current != null) {
            current.acknowledged(record);
        }
    }

    @Override
    public void requestStop() {
        stopping = true;
    }

    @Override
    public void close() {
        SnapshotPublication current = publication;
        if (current != null) {
            current.close();
        }
    }

    /** The cursor's rows as canonical texts, for the sorter; a NULL key column stops the run. */
    private final class CursorRows implements Iterator<Row> {
        private final ResultSet rs;
        private final RowConverter converter;
        private final FlatStructText text;
        private final int[] keyIndexes;
        private Row next;
        private boolean done;
        private long read;

        CursorRows(ResultSet rs, RowConverter converter, FlatStructText text, int[] keyIndexes) {
            this.rs = rs;
            this.converter = converter;
            this.text = text;
            this.keyIndexes = keyIndexes;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    if (rs.next()) {
                        read++;
                        SortCancelledException.checkEvery1024(read, () -> stopping);
                        List<String> values = text.toTexts(converter.value(rs));
                        for (int i = 0; i < keyIndexes.length; i++) {
                            if (values.get(keyIndexes[i]) == null) {
                                throw new ConnectException(target.describe() + ": row " + read + " has NULL in key column '"
                                        + keyFields.get(i) + "' ('" + JdbcSourceConfig.SNAPSHOT_KEY_FIELDS
                                        + "'); nothing of this run was emitted");
                            }
                        }
                        next = new Row(values, read);
                    } else {
                        done = true;
                    }
                } catch (SQLException e) {
                    throw new ReadFailure(e);
                }
            }
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = next;
            next = null;
            return row;
        }
    }

    /** A failed read inside the sort, carried out of it to be translated. */
    static final class ReadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
