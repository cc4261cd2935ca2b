package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.IdGapTracker.ResolvedGap;
import io.onramp.connect.source.outbox.IdGapTracker.Resolution;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdGapTrackerTest {

    private final IdGapTracker tracker = new IdGapTracker(1_000);

    @Test
    void deliversAContiguousRunAfterThePosition() {
        var walk = tracker.walk(10, new long[] {11, 12, 13}, 0);

        assertThat(walk.deliverable()).isEqualTo(3);
        assertThat(walk.resolved()).isEmpty();
        assertThat(tracker.needsHolders()).isFalse();
    }

    @Test
    void stopsInFrontOfAMissingIdAndAsksForItsHolders() {
        var walk = tracker.walk(10, new long[] {11, 13, 14}, 0);

        assertThat(walk.deliverable()).as("12 may still commit: 13 and 14 wait").isEqualTo(1);
        assertThat(tracker.needsHolders()).isTrue();
    }

    @Test
    void deliversTheRestOnceTheGapFills() {
        tracker.walk(10, new long[] {11, 13}, 0);
        tracker.holders(Set.of(7L));
        tracker.running(Set.of(7L));

        var walk = tracker.walk(11, new long[] {12, 13}, 100);

        assertThat(walk.deliverable()).isEqualTo(2);
        assertThat(walk.resolved()).isEmpty();
        assertThat(tracker.needsHolders()).isFalse();
    }

    @Test
    void waitsWhileAHolderRunsWithinTheTimeout() {
        tracker.walk(0, new long[] {2}, 0);
        tracker.holders(Set.of(7L, 8L));
        tracker.running(Set.of(8L, 9L));

        var walk = tracker.walk(0, new long[] {2}, 999);

        assertThat(walk.deliverable()).isZero();
        assertThat(walk.resolved()).isEmpty();
    }

    @Test
    void passesAGapProvedEmptyWhenNoHolderRunsAnyMore() {
        tracker.walk(10, new long[] {13, 14}, 0);
        tracker.holders(Set.of(7L, 8L));
        tracker.running(Set.of(9L)); // 7 and 8 ended; 9 started after the gap was seen

        var walk = tracker.walk(10, new long[] {13, 14}, 50);

        assertThat(walk.deliverable()).isEqualTo(2);
        assertThat(walk.resolved()).containsExactly(new ResolvedGap(11, 12, Resolution.PROVED_EMPTY, 50));
    }

    @Test
    void aGapWithNoRunningTransactionAtAllIsProvedEmptyOnTheNextRead() {
        tracker.walk(0, new long[] {5}, 0);
        tracker.holders(Set.of());
        tracker.running(Set.of());

        assertThat(tracker.walk(0, new long[] {5}, 1).resolved())
                .containsExactly(new ResolvedGap(1, 4, Resolution.PROVED_EMPTY, 1));
    }

    @Test
    void givesAGapUpAfterTheTimeoutWhenItsHoldersAreUnknown() {
        tracker.walk(10, new long[] {12}, 0);

        assertThat(tracker.walk(10, new long[] {12}, 999).deliverable()).isZero();
        var walk = tracker.walk(10, new long[] {12}, 1_000);

        assertThat(walk.deliverable()).isEqualTo(1);
        assertThat(walk.resolved()).containsExactly(new ResolvedGap(11, 11, Resolution.TIMED_OUT, 1_000));
    }

    @Test
    void holdersAreCheckedBeforeTheReadNotAfter() {
        tracker.walk(10, new long[] {12}, 0);
        tracker.holders(Set.of(7L));
        // 7 is still running when checked; that it ended by the time of a later read is not known yet
        tracker.running(Set.of(7L));

        assertThat(tracker.walk(10, new long[] {12}, 10).deliverable()).isZero();
    }

    @Test
    void aPartlyFilledGapKeepsItsHoldersAndAge() {
        tracker.walk(10, new long[] {15}, 0);
        tracker.holders(Set.of(7L));
        var partly = tracker.walk(10, new long[] {11, 12, 15}, 10);
        assertThat(partly.deliverable()).isEqualTo(2);
        assertThat(tracker.needsHolders()).as("13..14 is the same gap, seen since 0").isFalse();

        tracker.running(Set.of());
        var walk = tracker.walk(12, new long[] {15}, 20);

        assertThat(walk.resolved()).containsExactly(new ResolvedGap(13, 14, Resolution.PROVED_EMPTY, 20));
    }

    @Test
    void aLaterGapIsTrackedAfreshWithItsOwnHoldersAndClock() {
        tracker.walk(10, new long[] {12, 14}, 0);
        tracker.holders(Set.of(7L));
        tracker.running(Set.of());

        var walk = tracker.walk(10, new long[] {12, 14}, 500);

        assertThat(walk.deliverable()).as("11 proved empty, 12 delivered, 13 is a new gap").isEqualTo(1);
        assertThat(tracker.needsHolders()).isTrue();
        assertThat(tracker.walk(12, new long[] {14}, 1_400).deliverable()).as("13 seen only since 500").isZero();
        assertThat(tracker.walk(12, new long[] {14}, 1_500).resolved())
                .containsExactly(new ResolvedGap(13, 13, Resolution.TIMED_OUT, 1_000));
    }

    @Test
    void passesSeveralResolvedGapsInOneWalk() {
        var tracker = new IdGapTracker(0);
        tracker.walk(0, new long[] {2, 4}, 0);

        var walk = tracker.walk(0, new long[] {2, 4}, 0);

        assertThat(walk.resolved()).extracting(ResolvedGap::from).containsExactly(1L);
        assertThat(walk.deliverable()).as("3 is a fresh gap: it is given its own wait").isEqualTo(1);
        assertThat(List.of(walk.deliverable())).containsExactly(1);
    }
}
