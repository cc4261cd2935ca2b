package io.onramp.connect.core.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.source.TransactionContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

/** Transaction requests of work on the poll thread reach Connect with the batch they belong to. */
class HandOverContextTest {

    private final List<String> seen = new ArrayList<>();
    private final TransactionContext connectTransactions = new TransactionContext() {
        @Override
        public void commitTransaction() {
            seen.add("commit batch on " + Thread.currentThread().getName());
        }

        @Override
        public void commitTransaction(SourceRecord record) {
            seen.add("commit after " + record.value());
        }

        @Override
        public void abortTransaction() {
            seen.add("abort batch");
        }

        @Override
        public void abortTransaction(SourceRecord record) {
            seen.add("abort after " + record.value());
        }
    };

    @Test
    void requestsAreHeldUntilTheBatchIsHandedOutThenPassedInOrderOnTheTaskThread() throws Exception {
        var context = new HandOverContext(connect(connectTransactions));
        var release = new java.util.concurrent.CountDownLatch(1);
        var worker = new PollWorker<String>("onramp-test-transactions", () -> {
            TransactionContext transactions = context.transactionContext();
            transactions.commitTransaction(record("r1"));
            transactions.abortTransaction(record("r2"));
            transactions.abortTransaction();
            transactions.commitTransaction();
            release.await(); // the batch is not ready yet: a poll returns null meanwhile
            return "batch";
        }, Duration.ofMillis(100), context::handOver);
        try {
            assertThat(worker.poll()).isNull();
            assertThat(seen).as("Connect checks for a commit after a null poll too: nothing to see yet").isEmpty();

            release.countDown();
            String batch = null;
            for (int i = 0; i < 100 && batch == null; i++) {
                batch = worker.poll();
            }

            assertThat(batch).isEqualTo("batch");
            assertThat(seen).containsExactly("commit after r1", "abort after r2", "abort batch",
                    "commit batch on " + Thread.currentThread().getName());
            context.handOver();
            assertThat(seen).as("each request passed once").hasSize(4);
        } finally {
            worker.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void withoutConnectsTransactionContextTheWorkSeesNoneAndTheRestIsConnects() {
        SourceTaskContext connect = connect(null);
        var context = new HandOverContext(connect);

        assertThat(context.transactionContext()).isNull();
        assertThat(context.configs()).isSameAs(connect.configs());
        assertThat(context.offsetStorageReader()).isSameAs(connect.offsetStorageReader());
    }

    private static SourceRecord record(String value) {
        return new SourceRecord(Map.of(), Map.of(), "t", null, value);
    }

    private static SourceTaskContext connect(TransactionContext transactions) {
        Map<String, String> configs = Map.of("name", "c");
        OffsetStorageReader offsets = new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return null;
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                return Map.of();
            }
        };
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return configs;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return offsets;
            }

            @Override
            public TransactionContext transactionContext() {
                return transactions;
            }
        };
    }
}
