package io.onramp.connect.source.snapshot;

import io.onramp.connect.core.diff.ChangeEvent;
import io.onramp.connect.core.diff.DiffSummary;
import io.onramp.connect.core.diff.ChangeStream;
import io.onramp.connect.core.offsets.OffsetMaps;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One snapshot's changes on their way to Kafka: the diff against the snapshot applied before it, turned into
 * records in batches. All records of a snapshot form one Kafka transaction where the worker lets the connector
 * define boundaries, and the snapshot counts as committed only once every record is acknowledged. Both the file
 * source's snapshot mode and the JDBC source's bulk-diff mode publish through it, so both give the same
 * guarantees: the caller promotes the new state in its {@link SnapshotArchive} only when {@link #committed()}.
 *
 * <p>Offset of every record: the snapshot's name, how many of its events were sent, and whether this was the
 * last; when the snapshot has leading records, also how many of them were sent ({@value #LEADING}). The diff is
 * deterministic, so a restarted task diffs again and {@link #skip skips} what was sent.
 */
public final class SnapshotPublication implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotPublication.class);
    public static final String SNAPSHOT = "snapshot";
    public static final String EVENT = "event";
    public static final String LAST = "last";
    /** How many leading records (quarantined rows) were sent; only in offsets of snapshots that have any. */
    public static final String LEADING = "leading";

    private final String name;
    private final Map<String, ?> partition;
    private final ChangeRecordFactory factory;
    private final ChangeStream diff;
    private final List<String> oldColumns;
    private final List<String> newColumns;
    private final Deque<SourceRecord> leading;
    private final boolean hasLeading;
    private long leadingSent;
    private final List<AutoCloseable> inputs;
    private final Clock clock;
    private final long startedNanos = System.nanoTime();
    private long sent;
    /** Records handed to Connect by this instance, and how many of them Kafka acknowledged. */
    private long handedOut;
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile SourceRecord lastRecord;

    /**
     * @param name the snapshot's name in the records' offsets (a dump file, a run's id)
     * @param leading records sent before the change events (quarantined rows), in the same transaction
     * @param diff the change events: a diff as it runs, or one run to its end first ({@code SpooledDiff})
     * @param inputs closed with this publication (the sorted runs the diff reads, a spooled diff's file)
     */
    public SnapshotPublication(String name, Map<String, ?> partition, ChangeRecordFactory factory, ChangeStream diff,
            List<String> oldColumns, List<String> newColumns, List<SourceRecord> leading, Clock clock,
            List<? extends AutoCloseable> inputs) {
        this.name = name;
        this.partition = partition;
        this.factory = factory;
        this.diff = diff;
        this.oldColumns = oldColumns;
        this.newColumns = newColumns;
        this.leading = new ArrayDeque<>(leading);
        this.hasLeading = !leading.isEmpty();
        this.clock = clock;
        this.inputs = List.copyOf(inputs);
    }

    /** The events of {@code name} already sent before a restart, from its stored offset (0 for another snapshot). */
    public static long sentBefore(Map<String, Object> offset, String name) {
        return offset != null && name.equals(offset.get(SNAPSHOT)) && offset.get(EVENT) instanceof Number sent
                ? sent.longValue() : 0;
    }

    /**
     * The leading records of {@code name} already sent before a restart, from its stored offset: its count, or, in
     * an offset written before the count was kept, all of them once an event was sent and none before.
     */
    public static long leadingSentBefore(Map<String, Object> offset, String name) {
        if (offset == null || !name.equals(offset.get(SNAPSHOT))) {
            return 0;
        }
        if (offset.get(LEADING) instanceof Number leadingSent) {
            return leadingSent.longValue();
        }
        return sentBefore(offset, name) > 0 ? Long.MAX_VALUE : 0;
    }

    /** Whether the stored offset says the last event of {@code name} was committed. */
    public static boolean completedBefore(Map<String, Object> offset, String name) {
        return offset != null && name.equals(offset.get(SNAPSHOT)) && Boolean.TRUE.equals(offset.get(LAST));
    }

    public String name() {
        return name;
    }

    /** Skips the first {@code events} change events: those sent before a restart (leading records go with them). */
    public void skip(long events) {
        skip(events, events > 0 ? Long.MAX_VALUE : 0);
    }

    /**
     * Skips what was sent before a restart: the first {@code leadingRecords} leading records, then the first
     * {@code events} change events ({@link #sentBefore}, {@link #leadingSentBefore}).
     */
    public void skip(long events, long leadingRecords) {
        while (leadingSent < leadingRecords && !leading.isEmpty()) {
            leading.removeFirst();
            leadingSent++;
        }
        for (long i = 0; i < events && diff.hasNext(); i++) {
            diff.next();
            sent++;
        }
    }

    /** Whether nothing is left to send: no change at all, or all of it handed out. */
    public boolean exhausted() {
        return leading.isEmpty() && !diff.hasNext();
    }

    /**
     * Up to {@code max} records, or null when all were handed out. The batch holding the last record commits the
     * transaction, when there is one ({@code transaction} is null on a worker without exactly-once support).
     */
    public List<SourceRecord> nextBatch(int max, TransactionContext transaction) {
        var batch = new ArrayList<SourceRecord>(Math.min(max, 1024));
        while (!leading.isEmpty() && batch.size() < max) {
            SourceRecord record = leading.removeFirst();
            leadingSent++;
            batch.add(withOffset(record, false));
        }
        while (batch.size() < max && diff.hasNext()) {
            ChangeEvent event = diff.next();
            sent++;
            boolean last = !diff.hasNext();
            batch.add(factory.record(event, oldColumns, newColumns, partition, offset(last), clock.millis()));
        }
        handedOut += batch.size();
        if (exhausted() && !batch.isEmpty()) {
            lastRecord = batch.get(batch.size() - 1);
            if (transaction != null) {
                transaction.commitTransaction(lastRecord); // the whole snapshot is one transaction
            }
        }
        return batch.isEmpty() ? null : batch;
    }

    /** Kafka acknowledged {@code record} (producer callback thread); records of other snapshots are ignored. */
    public void acknowledged(SourceRecord record) {
        if (record.sourceOffset() != null && name.equals(record.sourceOffset().get(SNAPSHOT))) {
            acknowledged.incrementAndGet();
        }
    }

    /**
     * Whether every record of the snapshot is acknowledged: acks of different topic partitions arrive in any
     * order, so the last record's ack alone does not mean the others are written (without transactions).
     */
    public boolean committed() {
        return lastRecord != null && acknowledged.get() >= handedOut;
    }

    public DiffSummary summary() {
        return diff.summary();
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private SourceRecord withOffset(SourceRecord record, boolean last) {
        return new SourceRecord(partition, offset(last), record.topic(), record.kafkaPartition(), record.keySchema(),
                record.key(), record.valueSchema(), record.value(), record.timestamp(), record.headers());
    }

    private Map<String, Object> offset(boolean last) {
        return hasLeading ? OffsetMaps.of(SNAPSHOT, name, EVENT, sent, LEADING, leadingSent, LAST, last)
                : OffsetMaps.of(SNAPSHOT, name, EVENT, sent, LAST, last);
    }

    @Override
    public void close() {
        for (AutoCloseable input : inputs) {
            try {
                input.close();
            } catch (Exception e) {
                log.debug("Ignoring a failure to close a sorted run of snapshot {}", name, e);
            }
        }
    }
}
