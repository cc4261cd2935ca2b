package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.HorizonBatch.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a horizon batch ends, on hand-made rows (transaction id, event id, aggregate). */
class HorizonBatchTest {

    @Test
    void withoutAnAggregateOutOfOrderTheBatchEndsAtTheHorizon() {
        var rows = List.of(new Candidate(100, 1, "a"), new Candidate(101, 2, "b"), new Candidate(105, 3, "a"));

        assertThat(HorizonBatch.end(rows, 103)).isEqualTo(103);
    }

    @Test
    void twoContendingTransactionsOfOneAggregateBelowTheHorizonShareTheBatch() {
        // 102 took the lock first (id 1); 100 had its transaction id earlier, waited, then inserted id 2
        var rows = List.of(new Candidate(100, 2, "a"), new Candidate(102, 1, "a"));

        assertThat(HorizonBatch.end(rows, 110)).isEqualTo(110);
    }

    @Test
    void aLaterRowWithTheSmallerTransactionIdWaitsForItsPredecessorAboveTheHorizon() {
        // 101 still runs (the horizon); 102 (id 1) committed before 100 (id 2) took the lock of the same aggregate
        var rows = List.of(new Candidate(100, 2, "a"), new Candidate(102, 1, "a"), new Candidate(99, 3, "b"));

        assertThat(HorizonBatch.end(rows, 101)).as("ends at 100: b's row goes, a's waits").isEqualTo(100);
    }

    @Test
    void loweringTheEndRepeatsUntilNoAggregateIsSplit() {
        var rows = List.of(
                new Candidate(104, 1, "a"), new Candidate(102, 2, "a"), // a: 102 must follow 104 (above the horizon)
                new Candidate(103, 5, "b"), new Candidate(98, 6, "b")); // once 102 is out, 103 is out, and so 98
        assertThat(HorizonBatch.end(rows, 104)).isEqualTo(98);
    }

    @Test
    void otherAggregatesDoNotHoldABatchBack() {
        var rows = List.of(new Candidate(100, 2, "a"), new Candidate(102, 1, "b"));

        assertThat(HorizonBatch.end(rows, 101)).isEqualTo(101);
    }
}
