package io.onramp.connect.sink.snapshot;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.contract.Contract;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.connect.sink.snapshot.format.AvroExportWriter;
import io.onramp.connect.sink.snapshot.format.AvroRows;
import io.onramp.connect.sink.snapshot.format.CsvExportWriter;
import io.onramp.connect.sink.snapshot.format.ExportFile;
import io.onramp.connect.sink.snapshot.format.ExportManifest;
import io.onramp.connect.sink.snapshot.format.ExportWriter;
import io.onramp.connect.sink.snapshot.format.JsonLinesExportWriter;
import io.onramp.connect.sink.snapshot.store.StateStore;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SortedMap;
import org.apache.avro.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic's export: its state store, its schedule, and the writing of each snapshot file with its manifest and
 * marker. The order of an export makes every crash harmless: the file is published, then its manifest and marker,
 * and only then does the store's new generation become current; a crash before that leaves the previous
 * generation and the export of the same tick runs again after the restart, replacing the file with one that is
 * as complete.
 */
final class TopicExport implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(TopicExport.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final String topic;
    private final String connector;
    private final SnapshotExportSinkConfig config;
    private final Contract contract;
    private final ExportSchedule schedule;
    private final StateStore store;
    /** Set for Avro exports: each row is checked against the contract when it arrives, not at export time. */
    private final AvroRows avroRows;
    private Instant nextExport;
    private Class<?> lastRowClass;
    private Object lastRowSchema;

    TopicExport(String topic, String connector, SnapshotExportSinkConfig config, Contract contract, Instant now) {
        this.topic = topic;
        this.connector = connector;
        this.config = config;
        this.contract = contract;
        this.schedule = config.schedule();
        this.avroRows = "avro".equals(config.format()) ? new AvroRows(contract.schema()) : null;
        this.store = StateStore.open(config.stateDir().resolve(safeName(connector)).resolve(safeName(topic)),
                config.sortMemoryBytes());
        String last = store.lastExport();
        this.nextExport = last == null ? schedule.next(now) : schedule.next(Instant.parse(last));
        log.info("Snapshot export of {} scheduled '{}': next at {}{}", topic, schedule, nextExport,
                nextExport.isAfter(now) ? "" : " (missed while stopped: runs now)");
    }

    /** A directory name for a topic or connector name: Kafka topic names are safe already; others are escaped. */
    static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    long nextOffset(int partition) {
        return store.nextOffset(partition);
    }

    void append(int partition, long offset, ChangeReader.Change change) {
        if (change == null) {
            store.skip(partition, offset + 1);
            return;
        }
        String value = null;
        if (!change.isDelete()) {
            value = ValueJson.write(change.row(), change.rowSchema());
            if (avroRows != null) {
                checkAvro(value);
            }
            trackColumns(change.row());
        }
        store.append(partition, offset, change.key(), value);
    }

    /** A row the contract's schema cannot hold would fail every export from now on: refuse it on arrival. */
    private void checkAvro(String value) {
        try {
            avroRows.record(JSON.readTree(value));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw new DataException("The row does not fit contract " + contract + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void skip(int partition, long offset) {
        store.skip(partition, offset + 1);
    }

    /** New columns matter to CSV without a contract; checked only when the row's schema changes. */
    private void trackColumns(Object row) {
        if (contract != null) {
            return;
        }
        Object schema = row instanceof org.apache.kafka.connect.data.Struct s ? s.schema() : null;
        if (schema != null && schema == lastRowSchema && row.getClass() == lastRowClass) {
            return;
        }
        lastRowClass = row.getClass();
        lastRowSchema = schema;
        store.addColumns(ValueJson.fieldNames(row));
    }

    SortedMap<Integer, Long> sync() {
        return store.sync();
    }

    boolean due(Instant now) {
        return !now.isBefore(nextExport);
    }

    /** Writes the snapshot of the latest tick at or before {@code now}; returns its row count. */
    long export(Instant now) {
        Instant tick = schedule.previousOrAt(now);
        if (tick == null) {
            tick = nextExport;
        }
        long started = System.nanoTime();
        String name = config.fileName(topic, tick);
        String windowStart = store.lastExport();
        long rows;
        String owner = safeName(connector);
        try (var file = ExportFile.create(config.exportPath(), name, owner)) {
            ExportWriter writer = writer(file.stream());
            writer.begin();
            try (var next = store.merge((key, value) -> writer.write(value))) {
                writer.finish();
                var published = file.publish();
                var manifest = new ExportManifest(name, config.format(), topic, writer.rows(), published.bytes(),
                        published.sha256(), next.offsets(), contract == null ? null : contract.productId(),
                        contract == null ? null : contract.version(), contract == null ? null : contract.fingerprint(),
                        windowStart, tick.toString(), Instant.now().toString(), connector, OnrampVersion.get());
                ExportFile.writeWhole(config.exportPath(), ExportManifest.fileName(name), owner, manifest.toJson());
                if (config.doneMarker()) {
                    ExportFile.writeWhole(config.exportPath(), name + ".done", owner, new byte[0]);
                }
                next.commit(tick.toString());
                rows = writer.rows();
                log.info("Exported {} rows of {} to {} ({} bytes, {} upserts and {} deletes since the last export,"
                        + " offsets {}) in {} ms", writer.rows(), topic, published.path(), published.bytes(),
                        next.upserts(), next.deletes(), next.offsets(), (System.nanoTime() - started) / 1_000_000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Export of " + topic + " to " + config.exportPath().resolve(name) + " failed", e);
        }
        nextExport = schedule.next(now.isAfter(tick) ? now : tick);
        return rows;
    }

    /** Keys in the store as of the last export. */
    long snapshotRows() {
        return store.snapshotRows();
    }

    private ExportWriter writer(OutputStream out) {
        return switch (config.format()) {
            case "csv" -> new CsvExportWriter(out, config.csvCharset(), config.csvDelimiter(), config.csvHeader(),
                    config.csvCrlf(), columns());
            case "jsonl" -> new JsonLinesExportWriter(out);
            case "avro" -> {
                var meta = new LinkedHashMap<String, String>();
                meta.put("onramp.product", contract.productId());
                meta.put("onramp.contract.version", Integer.toString(contract.version()));
                meta.put("onramp.contract.fingerprint", contract.fingerprint());
                meta.put("onramp.topic", topic);
                yield new AvroExportWriter(out, contract.schema(), config.avroCodec(), meta);
            }
            default -> throw new IllegalStateException("Unknown export format " + config.format());
        };
    }

    private List<String> columns() {
        if (contract != null) {
            return contract.schema().getFields().stream().map(Schema.Field::name).toList();
        }
        return store.columns();
    }

    /** See {@link StateStore#releaseLockAsACrashWould()}. */
    void releaseLockAsACrashWould() {
        store.releaseLockAsACrashWould();
    }

    Instant nextExport() {
        return nextExport;
    }

    @Override
    public void close() {
        store.close();
    }
}
