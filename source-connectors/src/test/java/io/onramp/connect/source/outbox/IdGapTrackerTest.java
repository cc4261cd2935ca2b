package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.IdGapTracker.Resolution;
import io.onramp.connect.source.outbox.IdGapTracker.ResolvedGap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdGapTrackerTest {

    private final IdGapTracker tracker = new IdGapTracker(1_000);

    @Test
    void deliversAContiguousRunAfterThePosition() {
        var walk = tracker.walk(10, new long[] {11, 12, 13}, 0, 0);

        assertThat(walk.deliverable()).isEqualTo(3);
        assertThat(walk.resolved()).isEmpty();
        assertThat(tracker.hasGaps()).isFalse();
    }

    @Test
    void stopsInFrontOfAMissingIdAndWantsItsHolders() {
        var walk = tracker.walk(10, new long[] {11, 13, 14}, 0, 0);

        assertThat(walk.deliverable()).as("12 may still commit: 13 and 14 wait").isEqualTo(1);
        assertThat(tracker.needsHolders()).isTrue();
    }

    @Test
    void deliversTheRestOnceTheGapFills() {
        tracker.walk(10, new long[] {11, 13}, 0, 0);
        tracker.running(Set.of(7L), 0);

        var walk = tracker.walk(11, new long[] {12, 13}, 100, 1);

        assertThat(walk.deliverable()).isEqualTo(2);
        assertThat(walk.resolved()).isEmpty();
        assertThat(tracker.hasGaps()).isFalse();
    }

    @Test
    void holdersAreTakenOnlyFromAListThatPostdatesTheReadThatSawTheGap() {
        tracker.walk(10, new long[] {12}, 0, 100);

        tracker.running(Set.of(), 99); // a list that may predate the read: not the holders
        assertThat(tracker.needsHolders()).isTrue();
        assertThat(tracker.walk(10, new long[] {12}, 10, 101).deliverable()).isZero();

        tracker.running(Set.of(), 100);
        assertThat(tracker.needsHolders()).isFalse();
    }

    @Test
    void aListNotProvedFreshEndsGapsWithHoldersButGivesNoneTheirHolders() {
        tracker.walk(10, new long[] {12}, 0, 100); // 11 missing
        tracker.running(Set.of(7L), 100); // 11's holders: {7}
        assertThat(tracker.walk(10, new long[] {12, 14}, 1, 101).deliverable()).isZero(); // 13 missing too, seen at 101

        tracker.running(Set.of()); // may predate the read at 101: shows 7 ended, says nothing about 13's holders

        assertThat(tracker.needsHolders()).as("13 still lacks holders").isTrue();
        var walk = tracker.walk(10, new long[] {12, 14}, 2, 102);
        assertThat(walk.resolved()).as("11 is proved empty").containsExactly(new ResolvedGap(11, 11, Resolution.PROVED_EMPTY, 2));
        assertThat(walk.deliverable()).as("12 goes, 14 waits behind 13").isEqualTo(1);
    }

    @Test
    void waitsWhileAHolderRunsWithinTheTimeout() {
        tracker.walk(0, new long[] {2}, 0, 0);
        tracker.running(Set.of(7L, 8L), 0);
        tracker.running(Set.of(8L, 9L), 0);

        var walk = tracker.walk(0, new long[] {2}, 999, 1);

        assertThat(walk.deliverable()).isZero();
        assertThat(walk.resolved()).isEmpty();
    }

    @Test
    void passesAGapProvedEmptyWhenNoHolderRunsAnyMore() {
        tracker.walk(10, new long[] {13, 14}, 0, 0);
        tracker.running(Set.of(7L, 8L), 0);
        tracker.running(Set.of(9L), 0); // 7 and 8 ended; 9 started after the gap was seen

        var walk = tracker.walk(10, new long[] {13, 14}, 50, 1);

        assertThat(walk.deliverable()).isEqualTo(2);
        assertThat(walk.resolved()).containsExactly(new ResolvedGap(11, 12, Resolution.PROVED_EMPTY, 50));
    }

    @Test
    void holdersTakenInOneCallAreNotAlsoCheckedInIt() {
        tracker.walk(0, new long[] {5}, 0, 0);
        tracker.running(Set.of(), 0);
        assertThat(tracker.walk(0, new long[] {5}, 1, 1).deliverable()).as("the holders are only known now").isZero();

        tracker.running(Set.of(), 1);
        assertThat(tracker.walk(0, new long[] {5}, 2, 2).resolved())
                .containsExactly(new ResolvedGap(1, 4, Resolution.PROVED_EMPTY, 2));
    }

    @Test
    void givesAGapUpAfterTheTimeoutWhenItsHoldersAreUnknown() {
        tracker.walk(10, new long[] {12}, 0, 0);

        assertThat(tracker.walk(10, new long[] {12}, 999, 1).deliverable()).isZero();
        var walk = tracker.walk(10, new long[] {12}, 1_000, 2);

        assertThat(walk.deliverable()).isEqualTo(1);
        assertThat(walk.resolved()).containsExactly(new ResolvedGap(11, 11, Resolution.TIMED_OUT, 1_000));
    }

    @Test
    void aPartlyFilledGapKeepsItsHoldersAndAge() {
        tracker.walk(10, new long[] {16}, 0, 0);
        tracker.running(Set.of(7L), 0);
        var partly = tracker.walk(10, new long[] {11, 12, 14, 16}, 10, 1);
        assertThat(partly.deliverable()).isEqualTo(2);
        assertThat(tracker.needsHolders()).as("13 and 15 are parts of the gap seen at 0").isFalse();

        tracker.running(Set.of(), 1);
        var walk = tracker.walk(12, new long[] {14, 16}, 20, 2);

        assertThat(walk.resolved()).containsExactly(new ResolvedGap(13, 13, Resolution.PROVED_EMPTY, 20),
                new ResolvedGap(15, 15, Resolution.PROVED_EMPTY, 20));
        assertThat(walk.deliverable()).isEqualTo(2);
    }

    @Test
    void everyGapOfAReadIsTrackedSoTheirHoldersAreReadTogether() {
        tracker.walk(0, new long[] {2, 4, 6}, 0, 0);
        tracker.running(Set.of(7L), 0);
        tracker.running(Set.of(), 0);

        var walk = tracker.walk(0, new long[] {2, 4, 6}, 30, 1);

        assertThat(walk.deliverable()).isEqualTo(3);
        assertThat(walk.resolved()).extracting(ResolvedGap::from).containsExactly(1L, 3L, 5L);
    }

    @Test
    void aGapSeenLaterGetsItsOwnHoldersAndClock() {
        tracker.walk(10, new long[] {12}, 0, 0);
        tracker.running(Set.of(7L), 0);
        tracker.running(Set.of(), 0);
        var walk = tracker.walk(10, new long[] {12, 14}, 500, 5);
        assertThat(walk.deliverable()).as("11 proved empty, 12 delivered, 13 is new").isEqualTo(1);
        assertThat(tracker.needsHolders(4)).as("13 was first seen by the read stamped 5").isFalse();
        assertThat(tracker.needsHolders(5)).isTrue();

        assertThat(tracker.walk(12, new long[] {14}, 1_499, 6).deliverable()).isZero();
        assertThat(tracker.walk(12, new long[] {14}, 1_500, 7).resolved())
                .containsExactly(new ResolvedGap(13, 13, Resolution.TIMED_OUT, 1_000));
    }
}
