package io.onramp.connect.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.source.TransactionContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * The task context as seen by work that runs on a {@link PollWorker}: transaction requests (commit or abort,
 * after a batch or a record) are held back and passed to Connect's context by {@link #handOver()}, on the task
 * thread, just before the batch they belong to is returned from {@code poll()}. Passed at once they could be
 * seen by Connect after an earlier poll that returned null (Connect checks for a batch commit after every poll,
 * also an empty one) and cut a transaction too early.
 *
 * <p>Everything else goes straight to Connect's context.
 */
public final class HandOverContext implements SourceTaskContext {

    private final SourceTaskContext connect;
    private final List<Consumer<TransactionContext>> requests = new ArrayList<>();
    private final TransactionContext held = new Held();

    public HandOverContext(SourceTaskContext connect) {
        this.connect = connect;
    }

    @Override
    public Map<String, String> configs() {
        return connect.configs();
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return connect.offsetStorageReader();
    }

    /** Null where Connect's is null (no exactly-once support, or boundaries not defined by the connector). */
    @Override
    public TransactionContext transactionContext() {
        return connect.transactionContext() == null ? null : held;
    }

    /** Passes the requests held so far to Connect's transaction context, in the order they were made. */
    public void handOver() {
        List<Consumer<TransactionContext>> made;
        synchronized (requests) {
            made = List.copyOf(requests);
            requests.clear();
        }
        if (!made.isEmpty()) {
            TransactionContext target = connect.transactionContext();
            made.forEach(request -> request.accept(target));
        }
    }

    private void hold(Consumer<TransactionContext> request) {
        synchronized (requests) {
            requests.add(request);
        }
    }

    private final class Held implements TransactionContext {
        @Override
        public void commitTransaction() {
            hold(TransactionContext::commitTransaction);
        }

        @Override
        public void commitTransaction(SourceRecord record) {
            hold(target -> target.commitTransaction(record));
        }

        @Override
        public void abortTransaction() {
            hold(TransactionContext::abortTransaction);
        }

        @Override
        public void abortTransaction(SourceRecord record) {
            hold(target -> target.abortTransaction(record));
        }
    }
}
