package io.onramp.connect.source.file.snapshot;

import io.onramp.connect.core.change.FlatStructText;
import io.onramp.connect.core.diff.DiffOptions;
import io.onramp.connect.core.diff.SnapshotDiff;
import io.onramp.connect.core.offsets.OffsetMaps;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowCodec;
import io.onramp.connect.core.sort.RowLayout;
import io.onramp.connect.core.sort.SortedRunFile;
import io.onramp.connect.source.file.FileMover;
import io.onramp.connect.source.file.FileProgress;
import io.onramp.connect.source.file.FileRecordFactory;
import io.onramp.connect.source.file.FileSourceConfig;
import io.onramp.connect.source.file.FileSourceMetrics;
import io.onramp.connect.source.file.SourceMode;
import io.onramp.connect.source.file.SpoolDirectory;
import io.onramp.connect.source.file.read.CsvRowMapper;
import io.onramp.connect.source.file.read.FileReaders;
import io.onramp.connect.source.file.read.FileRecordReader;
import io.onramp.connect.source.file.read.ReadResult;
import io.onramp.connect.source.file.read.UnreadableFileException;
import io.onramp.connect.source.snapshot.ChangeRecordFactory;
import io.onramp.connect.source.snapshot.SnapshotArchive;
import io.onramp.connect.source.snapshot.SnapshotPublication;
import io.onramp.connect.source.snapshot.SnapshotSource;
import io.onramp.connect.source.snapshot.SortCancelledException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot mode: each file is a full dump of one table. It is sorted into the archive, diffed by key against
 * the dump applied before it, and only the changes are emitted. Dumps are applied strictly in order; the
 * archive moves on to a dump only once all its change events are committed, and with connector-defined
 * transaction boundaries all events of one dump commit in one Kafka transaction.
 *
 * <p>Source partition: the table. Offset: the dump's file name, how many of its events were sent, and
 * whether the last one was. The diff is deterministic, so a restarted task re-runs it and skips what was sent.
 */
public final class SnapshotMode implements SourceMode {

    private static final Logger log = LoggerFactory.getLogger(SnapshotMode.class);
    public static final String TABLE = "table";
    public static final String SNAPSHOT = SnapshotPublication.SNAPSHOT;
    public static final String EVENT = SnapshotPublication.EVENT;
    public static final String LAST = SnapshotPublication.LAST;

    static final Schema SOURCE_SCHEMA = SnapshotSource.schema("io.onramp.connect.source.file.Source")
            .field("file", Schema.STRING_SCHEMA)
            .field("snapshot_id", Schema.STRING_SCHEMA)
            .build();

    private final FileSourceConfig config;
    private final String connectorName;
    private final SpoolDirectory spool;
    private final FileMover mover;
    private final SourceTaskContext context;
    private final Clock clock;
    private final SnapshotArchive archive;
    private final SnapshotOrder order;
    private final FileReaders readers;
    private final Schema contractSchema;
    private final Map<String, Object> partition;
    private final FileRecordFactory quarantineRecords;
    private volatile Publication active; // read by the producer callback thread in acknowledged()
    private String pendingFailure;
    private volatile boolean stopping;
    private final FileSourceMetrics metrics;

    public SnapshotMode(FileSourceConfig config, String connectorName, SpoolDirectory spool, FileMover mover,
            SourceTaskContext context, Clock clock, FileSourceMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.connectorName = connectorName;
        this.spool = spool;
        this.mover = mover;
        this.context = context;
        this.clock = clock;
        // Named by connector and table: two connectors of one table (or one topic) sharing the directory never
        // diff against, or clean up, each other's state.
        this.archive = new SnapshotArchive(config.snapshotArchivePath(), SnapshotArchive.nameOf(connectorName, config.snapshotTable()));
        if (archive.adopt(config.snapshotTable())) {
            log.info("Snapshot archive of table {} taken over from its former name '{}' in {}", config.snapshotTable(),
                    config.snapshotTable(), config.snapshotArchivePath());
        }
        this.order = config.snapshotOrder();
        this.readers = new FileReaders(config);
        this.contractSchema = readers.knownSchema();
        this.partition = OffsetMaps.of(TABLE, config.snapshotTable());
        this.quarantineRecords = new FileRecordFactory(config.topic(), config.quarantineTopic());
        java.util.regex.Pattern dumps = config.filePattern();
        String archiveOverlap = config.archiveOverlap();
        if (archiveOverlap != null) {
            // a config from before this rule: validate() refuses it now, a running connector keeps working
            log.warn("{}. Move the archive to a directory of its own (stop the connector, move its files, set the key).",
                    archiveOverlap);
        }
        archive.removeLeftovers(name -> dumps.matcher(name).matches());
    }

    @Override
    public List<SourceRecord> poll() {
        if (stopping) {
            return null;
        }
        if (active != null && active.events().committed()) {
            finish(active);
            active = null;
        }
        if (pendingFailure != null) {
            throw new ConnectException(pendingFailure);
        }
        if (active == null) {
            try {
                active = prepareNext();
            } catch (SortCancelledException e) {
                log.info("Stopped while sorting a snapshot of table {}; the next task sorts it again", config.snapshotTable());
                return null;
            }
            if (active == null) {
                return null;
            }
            if (active.events().exhausted()) {
                finish(active); // nothing changed: nothing to commit, the archive moves on at once
                active = null;
                return null;
            }
        }
        return active.events().nextBatch(config.batchSize(), context.transactionContext());
    }

    private Publication prepareNext() {
        // Each name is parsed for its order key once, not on every comparison of the sort.
        var keyed = new java.util.TreeMap<String, SpoolDirectory.InputFile>();
        for (SpoolDirectory.InputFile file : spool.readyFiles(Set.of())) {
            try {
                keyed.put(order.keyOf(file.name()), file);
            } catch (IllegalArgumentException e) {
                reject(file, e.getMessage(), false);
            }
        }
        for (var entry : keyed.entrySet()) {
            SpoolDirectory.InputFile file = entry.getValue();
            String orderKey = entry.getKey();
            SnapshotArchive.Applied applied = archive.current();
            if (applied != null && applied.isFrom(file.name(), file.size(), file.modifiedMs())) {
                // Promoted, then the worker died before it moved the dump: its events are all committed.
                mover.finished(file.path(), marker(file));
                log.info("Snapshot {} of table {} was applied before a restart; moved to finished", file.name(),
                        config.snapshotTable());
                continue;
            }
            if (applied != null && orderKey.compareTo(applied.orderKey()) <= 0) {
                reject(file, "this snapshot is not newer than " + applied.snapshotFile()
                        + ", the last one applied; snapshots are applied strictly in order", false);
                continue;
            }
            Map<String, Object> offset = context.offsetStorageReader().offset(partition);
            if (SnapshotPublication.completedBefore(offset, file.name())) {
                // Its events were all committed before a restart; only the bookkeeping is left.
                completeWithoutEvents(file, orderKey);
                continue;
            }
            long resumeAfter = SnapshotPublication.sentBefore(offset, file.name());
            long leadingSent = SnapshotPublication.leadingSentBefore(offset, file.name());
            Publication publication = publish(file, orderKey, applied, resumeAfter, leadingSent);
            if (publication != null) {
                return publication;
            }
        }
        return null;
    }

    private Publication publish(SpoolDirectory.InputFile file, String orderKey, SnapshotArchive.Applied applied, long resumeAfter,
            long leadingSent) {
        var run = archive.runOf(file.name());
        metrics.fileTaken(file);
        long sortStart = System.nanoTime();
        SnapshotSorter.Sorted sorted = null;
        if (applied != null) {
            SnapshotCsvBytes.Diffed diffed = sortAndDiffFast(file, run, applied);
            if (diffed != null) {
                metrics.lastSortMillis.set((System.nanoTime() - sortStart) / 1_000_000);
                return publish(file, orderKey, diffed, resumeAfter);
            }
            // Not on the byte path, or it gave up: the row path below reads the dump (and names what is wrong).
        } else {
            sorted = sortFast(file, run);
        }
        if (sorted == null) {
            try (FileRecordReader reader = readers.open(file.path())) {
                Schema fallback = contractSchema != null ? contractSchema : applied == null ? null : stringsSchema(applied);
                sorted = new SnapshotSorter(config.snapshotKeyFields(), config.snapshotSortMemoryBytes(), this::stopping)
                        .sort(reader, file.name(), run, fallback);
            } catch (SortCancelledException e) {
                archive.discard(run);
                throw e;
            } catch (UnreadableFileException e) {
                archive.discard(run);
                reject(file, e.getMessage(), true);
                return null;
            }
        }
        metrics.lastSortMillis.set((System.nanoTime() - sortStart) / 1_000_000);
        metrics.recordsRead.add(sorted.read());
        List<SourceRecord> quarantined = new ArrayList<>();
        if (sorted.badCount() > 0) {
            if (!config.snapshotAllowPartial() || config.badRecordPolicy() == FileSourceConfig.BadRecordPolicy.FAIL) {
                archive.discard(run);
                reject(file, sorted.badCount() + " bad row(s), so the snapshot was not applied (rows left out would "
                        + "look deleted; see '" + FileSourceConfig.SNAPSHOT_ALLOW_PARTIAL + "'): " + describe(sorted.bad()), true);
                return null;
            }
            if (config.badRecordPolicy() == FileSourceConfig.BadRecordPolicy.QUARANTINE) {
                var progress = new FileProgress(file, partition);
                sorted.bad().forEach(bad -> quarantined.add(quarantineRecords.quarantine(progress, bad)));
            }
            if (config.badRecordPolicy() == FileSourceConfig.BadRecordPolicy.SKIP) {
                metrics.recordsSkipped.add(sorted.badCount());
            }
            log.warn("Snapshot {} applied without {} bad row(s): {}", file.name(), sorted.badCount(), describe(sorted.bad()));
        }
        if (sorted.run() == null && applied == null) {
            // An empty first dump with no schema: nothing to emit but its bad rows, nothing to keep.
            var events = new SnapshotPublication(file.name(), partition, null, emptyDiff(), List.of(), List.of(), quarantined,
                    clock, List.of());
            events.skip(0, leadingSent);
            return new Publication(file, orderKey, null, 0, events);
        }
        SortedRunFile.Reader oldRows = applied == null ? null : SortedRunFile.open(applied.run());
        SortedRunFile.Reader newRows = sorted.run() == null ? null : SortedRunFile.open(sorted.run());
        RowLayout oldLayout = oldRows != null ? oldRows.layout() : newRows.layout();
        RowLayout newLayout = newRows != null ? newRows.layout() : oldRows.layout();
        FlatStructText text = sorted.text() != null ? sorted.text() : new FlatStructText(stringsSchema(applied));
        List<KeyColumn> key = config.snapshotKeyFields().stream().map(KeyColumn::text).toList();
        DiffOptions options = new DiffOptions(key, new HashSet<>(config.snapshotIgnoreFields()), true);
        // Both sides encoded whenever there is a run file, so the join runs on bytes (EncodedDiff), also for
        // the first dump against no archive.
        SnapshotDiff diff = SnapshotDiff.of(oldLayout, oldRows != null ? oldRows : RowCodec.encoding(emptyRows()),
                newLayout, newRows != null ? newRows : RowCodec.encoding(emptyRows()), options);
        var factory = new ChangeRecordFactory(config.topic(), config.stateOutput(), text, config.snapshotKeyFields(),
                source(connectorName, config.snapshotTable(), file.name(), orderKey, file.modifiedMs(), applied == null),
                file.name());
        var inputs = new ArrayList<AutoCloseable>();
        if (oldRows != null) {
            inputs.add(oldRows);
        }
        if (newRows != null) {
            inputs.add(newRows);
        }
        var events = new SnapshotPublication(file.name(), partition, factory, diff, oldLayout.columnNames(),
                newLayout.columnNames(), quarantined, clock, inputs);
        events.skip(resumeAfter, leadingSent); // quarantined rows lead, each counted in the offset
        var publication = new Publication(file, orderKey, sorted.run(), sorted.read(), events);
        log.info("Publishing snapshot {} of table {} ({} rows{})", file.name(), config.snapshotTable(), sorted.rows(),
                resumeAfter > 0 ? ", resuming after event " + resumeAfter : "");
        return publication;
    }

    /** A good dump on the byte path, already sorted into its run and diffed against the applied one. */
    private Publication publish(SpoolDirectory.InputFile file, String orderKey, SnapshotCsvBytes.Diffed diffed,
            long resumeAfter) {
        SnapshotSorter.Sorted sorted = diffed.sorted();
        metrics.recordsRead.add(sorted.read());
        var factory = new ChangeRecordFactory(config.topic(), config.stateOutput(), sorted.text(), config.snapshotKeyFields(),
                source(connectorName, config.snapshotTable(), file.name(), orderKey, file.modifiedMs(), false), file.name());
        var events = new SnapshotPublication(file.name(), partition, factory, diffed.changes(),
                diffed.oldLayout().columnNames(), diffed.newLayout().columnNames(), List.of(), clock,
                List.of(diffed.changes()));
        events.skip(resumeAfter);
        log.info("Publishing snapshot {} of table {} ({} rows, {}{}{})", file.name(), config.snapshotTable(),
                sorted.rows(), diffed.changes().summary(),
                diffed.keyRanges() > 1 ? ", diffed in " + diffed.keyRanges() + " key ranges" : "",
                resumeAfter > 0 ? ", resuming after event " + resumeAfter : "");
        return new Publication(file, orderKey, sorted.run(), sorted.read(), events);
    }

    /** The envelope's {@code source} block of a dump's change events. */
    static Struct source(String connectorName, String table, String file, String snapshotId, long fileModifiedMs,
            boolean first) {
        return SnapshotSource.of(SOURCE_SCHEMA, "file", connectorName, fileModifiedMs, first, table)
                .put("file", file)
                .put("snapshot_id", snapshotId);
    }

    /** The schema of a header-only snapshot, rebuilt from the archived layout: optional strings. */
    private static Schema stringsSchema(SnapshotArchive.Applied applied) {
        try (SortedRunFile.Reader reader = SortedRunFile.open(applied.run())) {
            SchemaBuilder builder = SchemaBuilder.struct();
            reader.layout().columnNames().forEach(column -> builder.field(column, Schema.OPTIONAL_STRING_SCHEMA));
            return builder.build();
        }
    }

    private void completeWithoutEvents(SpoolDirectory.InputFile file, String orderKey) {
        var run = archive.runOf(file.name());
        metrics.fileTaken(file);
        if (!java.nio.file.Files.exists(run) && sortFast(file, run) == null) {
            try (FileRecordReader reader = readers.open(file.path())) {
                new SnapshotSorter(config.snapshotKeyFields(), config.snapshotSortMemoryBytes(), this::stopping)
                        .sort(reader, file.name(), run, contractSchema);
            }
        }
        archive.promote(file.name(), file.size(), file.modifiedMs(), orderKey, run);
        mover.finished(file.path(), marker(file));
        log.info("Snapshot {} of table {} was already published before a restart; archived", file.name(), config.snapshotTable());
    }

    /**
     * The dump sorted into {@code run} on the byte path when the input allows it and every row is good; null
     * otherwise, with nothing kept, and the dump then goes through {@link SnapshotSorter}, which reports it.
     */
    private SnapshotSorter.Sorted sortFast(SpoolDirectory.InputFile file, java.nio.file.Path run) {
        if (!SnapshotCsvBytes.applies(config)) {
            return null;
        }
        CsvRowMapper.Factory mappers;
        try {
            mappers = FileReaders.csvMappers(readers.contractSchema());
        } catch (org.apache.kafka.connect.errors.DataException e) {
            return null;
        }
        SnapshotSorter.Sorted sorted;
        try {
            sorted = new SnapshotCsvBytes(config.snapshotKeyFields(), config.snapshotSortMemoryBytes(), this::stopping)
                    .sort(file.path(), config.csvDelimiter(), config.csvQuote(), mappers, run);
        } catch (SortCancelledException e) {
            archive.discard(run);
            throw e;
        }
        if (sorted == null) {
            archive.discard(run);
            log.debug("Snapshot {} goes the row path", file.name());
        }
        return sorted;
    }

    /**
     * The dump sorted into {@code run} and diffed against the applied snapshot in one pass on the byte path, when
     * the input allows it and every row is good; null otherwise, with nothing kept, and the dump then goes the
     * way of {@link #sortFast} and {@link SnapshotSorter}.
     */
    private SnapshotCsvBytes.Diffed sortAndDiffFast(SpoolDirectory.InputFile file, java.nio.file.Path run,
            SnapshotArchive.Applied applied) {
        if (!SnapshotCsvBytes.applies(config)) {
            return null;
        }
        CsvRowMapper.Factory mappers;
        try {
            mappers = FileReaders.csvMappers(readers.contractSchema());
        } catch (org.apache.kafka.connect.errors.DataException e) {
            return null;
        }
        List<KeyColumn> key = config.snapshotKeyFields().stream().map(KeyColumn::text).toList();
        DiffOptions options = new DiffOptions(key, new HashSet<>(config.snapshotIgnoreFields()), true);
        SnapshotCsvBytes.Diffed diffed;
        try {
            diffed = new SnapshotCsvBytes(config.snapshotKeyFields(), config.snapshotSortMemoryBytes(), this::stopping)
                    .sortAndDiff(file.path(), config.csvDelimiter(), config.csvQuote(), mappers, run, applied.run(),
                            options);
        } catch (SortCancelledException e) {
            archive.discard(run);
            throw e;
        }
        if (diffed == null) {
            archive.discard(run);
            log.debug("Snapshot {} goes the row path", file.name());
        }
        return diffed;
    }

    private void finish(Publication publication) {
        publication.events().close();
        if (publication.run() != null) {
            archive.promote(publication.file().name(), publication.file().size(), publication.file().modifiedMs(),
                    publication.orderKey(), publication.run());
        }
        mover.finished(publication.file().path(), marker(publication.file()));
        metrics.snapshotFinished(publication.events().summary(), publication.events().elapsedMillis());
        log.info("Finished snapshot {} of table {}: rows read {}, {}", publication.file().name(), config.snapshotTable(),
                publication.rowsRead(), publication.events().summary());
    }

    private void reject(SpoolDirectory.InputFile file, String reason, boolean badInput) {
        mover.failed(file.path(), marker(file), reason);
        log.error("Snapshot {} moved to {}: {}", file.name(), config.errorPath(), reason);
        if (badInput && config.badRecordPolicy() == FileSourceConfig.BadRecordPolicy.FAIL) {
            pendingFailure = "snapshot " + file.name() + " rejected: " + reason;
        }
    }

    private java.nio.file.Path marker(SpoolDirectory.InputFile file) {
        return spool.usesMarkers() ? spool.markerOf(file.path()) : null;
    }

    private static String describe(List<ReadResult.Malformed> bad) {
        return bad.stream().limit(10).map(row -> "line " + row.line() + ": " + row.reason())
                .collect(Collectors.joining("; ")) + (bad.size() > 10 ? "; ..." : "");
    }

    private static SnapshotDiff emptyDiff() {
        return SnapshotDiff.of(new RowLayout(List.of("_")), emptyRows(), new RowLayout(List.of("_")), emptyRows(),
                new DiffOptions(List.of(KeyColumn.text("_")), Set.of(), false));
    }

    private static java.util.Iterator<Row> emptyRows() {
        return Collections.emptyIterator();
    }

    @Override
    public void acknowledged(SourceRecord record) {
        Publication publication = active;
        if (publication != null) {
            publication.events().acknowledged(record);
        }
    }

    private boolean stopping() {
        return stopping;
    }

    @Override
    public void requestStop() {
        stopping = true;
    }

    @Override
    public void close() {
        if (active != null) {
            active.events().close();
        }
    }

    /** One dump on its way to Kafka: its change events, and what is needed to finish it. */
    private record Publication(SpoolDirectory.InputFile file, String orderKey, java.nio.file.Path run, long rowsRead,
            SnapshotPublication events) {
    }
}
