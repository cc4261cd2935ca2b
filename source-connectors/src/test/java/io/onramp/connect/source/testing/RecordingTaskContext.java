package io.onramp.connect.source.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.source.TransactionContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * A task context as the worker gives one: offsets stored per source partition (what {@link #acknowledge} wrote,
 * as Connect commits the offset of acknowledged records), and, when transactions are on, the transaction
 * boundaries the task asked for, in order.
 */
public final class RecordingTaskContext implements SourceTaskContext {

    private final Map<String, String> configs;
    private final boolean transactions;
    private final Function<SourceRecord, String> describe;
    private final Map<Map<String, ?>, Map<String, Object>> offsets;
    /** "commit <record>" or "abort <record>" (or without a record) for each boundary the task asked for. */
    public final List<String> commits = new ArrayList<>();

    /** Records are described as "after <their offset>" in {@link #commits}. */
    public RecordingTaskContext(Map<String, String> configs, boolean transactions) {
        this(configs, transactions, record -> "after " + record.sourceOffset());
    }

    public RecordingTaskContext(Map<String, String> configs, boolean transactions, Function<SourceRecord, String> describe) {
        this(configs, transactions, describe, new HashMap<>());
    }

    /**
     * A context without transactions over {@code offsets}, the test's stand-in for the offset topic: the test may
     * store offsets in it itself, as a worker that committed them would have.
     */
    public RecordingTaskContext(Map<String, String> configs, Map<Map<String, ?>, Map<String, Object>> offsets) {
        this(configs, false, record -> "after " + record.sourceOffset(), offsets);
    }

    private RecordingTaskContext(Map<String, String> configs, boolean transactions, Function<SourceRecord, String> describe,
            Map<Map<String, ?>, Map<String, Object>> offsets) {
        this.configs = configs;
        this.transactions = transactions;
        this.describe = describe;
        this.offsets = offsets;
    }

    /** A context for a restarted task: the same stored offsets, no recorded commits. */
    public RecordingTaskContext restarted(Map<String, String> configs) {
        var next = new RecordingTaskContext(configs, transactions, describe);
        next.offsets.putAll(offsets);
        return next;
    }

    /** Kafka acknowledged the records (in order): their offsets are stored, the task is told. */
    public void acknowledge(SourceTask task, List<SourceRecord> records) throws InterruptedException {
        for (SourceRecord record : records) {
            @SuppressWarnings("unchecked")
            Map<String, Object> offset = (Map<String, Object>) record.sourceOffset();
            if (offset != null) {
                offsets.put(record.sourcePartition(), offset);
            }
            task.commitRecord(record, null);
        }
    }

    public Map<String, Object> offset(Map<String, ?> partition) {
        return offsets.get(partition);
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return offsets.get(partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                var result = new HashMap<Map<String, T>, Map<String, Object>>();
                partitions.forEach(partition -> result.put(partition, offsets.get(partition)));
                return result;
            }
        };
    }

    @Override
    public TransactionContext transactionContext() {
        if (!transactions) {
            return null;
        }
        return new TransactionContext() {
            @Override
            public void commitTransaction() {
                commits.add("commit");
            }

            @Override
            public void commitTransaction(SourceRecord record) {
                commits.add("commit " + describe.apply(record));
            }

            @Override
            public void abortTransaction() {
                commits.add("abort");
            }

            @Override
            public void abortTransaction(SourceRecord record) {
                commits.add("abort " + describe.apply(record));
            }
        };
    }
}
