package io.onramp.connect.source.outbox;

import static io.onramp.connect.source.outbox.IdGapTracker.RECHECK_GRACE_MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.IdGapTracker.Resolution;
import io.onramp.connect.source.outbox.IdGapTracker.ResolvedGap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdGapTrackerTest {

    private static final long TIMEOUT_MS = 10_000;

    private final IdGapTracker tracker = new IdGapTracker(TIMEOUT_MS);

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
        tracker.running(Set.of(7L), 0, 0);

        var walk = tracker.walk(11, new long[] {12, 13}, 100, 1);

        assertThat(walk.deliverable()).isEqualTo(2);
        assertThat(walk.resolved()).isEmpty();
        assertThat(tracker.hasGaps()).isFalse();
    }

    @Test
    void holdersAreTakenOnlyFromAListThatPostdatesTheReadThatSawTheGap() {
        tracker.walk(10, new long[] {12}, 0, 100);

        tracker.running(Set.of(), 99, 5); // a list that may predate the read: not the holders
        assertThat(tracker.needsHolders()).isTrue();
        assertThat(tracker.walk(10, new long[] {12}, 10, 101).deliverable()).isZero();

        tracker.running(Set.of(), 100, 15);
        assertThat(tracker.needsHolders()).isFalse();
    }

    @Test
    void aListNotProvedFreshEndsRoundsOfGapsWithHoldersButGivesNoneTheirHolders() {
        tracker.walk(10, new long[] {12}, 0, 100); // 11 missing
        tracker.running(Set.of(7L), 100, 0); // 11's holders: {7}
        assertThat(tracker.walk(10, new long[] {12, 14}, 1, 101).deliverable()).isZero(); // 13 missing too, seen at 101

        tracker.running(Set.of(), 2); // may predate the read at 101: shows 7 ended, says nothing about 13's holders
        assertThat(tracker.needsHolders()).as("13 still lacks holders").isTrue();
        tracker.running(Set.of(), 2 + RECHECK_GRACE_MS); // nor is it 11's second round
        assertThat(tracker.walk(10, new long[] {12, 14}, 3 + RECHECK_GRACE_MS, 102).resolved()).isEmpty();

        tracker.running(Set.of(), 102, 4 + RECHECK_GRACE_MS); // fresh: 11's second-round holders {}, 13's holders {}
        tracker.running(Set.of(), 5 + RECHECK_GRACE_MS);

        var walk = tracker.walk(10, new long[] {12, 14}, 6 + RECHECK_GRACE_MS, 103);
        assertThat(walk.resolved()).as("11 is proved empty")
                .containsExactly(new ResolvedGap(11, 11, Resolution.PROVED_EMPTY, 6 + RECHECK_GRACE_MS));
        assertThat(walk.deliverable()).as("12 goes, 14 waits behind 13").isEqualTo(1);
    }

    @Test
    void waitsWhileAHolderRunsWithinTheTimeout() {
        tracker.walk(0, new long[] {2}, 0, 0);
        tracker.running(Set.of(7L, 8L), 0, 0);
        tracker.running(Set.of(8L, 9L), 0, 5_000);

        var walk = tracker.walk(0, new long[] {2}, TIMEOUT_MS - 1, 1);

        assertThat(walk.deliverable()).isZero();
        assertThat(walk.resolved()).isEmpty();
    }

    @Test
    void passesAGapProvedEmptyWhenNoHolderOfEitherRoundRunsAnyMore() {
        tracker.walk(10, new long[] {13, 14}, 0, 0);
        tracker.running(Set.of(7L, 8L), 0, 0);
        tracker.running(Set.of(9L), 0, 10); // 7 and 8 ended: the first round ends at 10
        tracker.running(Set.of(9L), 0, 10 + RECHECK_GRACE_MS); // the second round's holders: {9}
        assertThat(tracker.walk(10, new long[] {13, 14}, 20 + RECHECK_GRACE_MS, 1).deliverable()).isZero();
        tracker.running(Set.of(), 30 + RECHECK_GRACE_MS);

        var walk = tracker.walk(10, new long[] {13, 14}, 50 + RECHECK_GRACE_MS, 2);

        assertThat(walk.deliverable()).isEqualTo(2);
        assertThat(walk.resolved()).containsExactly(new ResolvedGap(11, 12, Resolution.PROVED_EMPTY, 50 + RECHECK_GRACE_MS));
    }

    /**
     * InnoDB takes the id before the inserting transaction enters INNODB_TRX: the first list can miss the holder. It is
     * in the second list, read at least the grace time after the first round ended, and keeps the gap open.
     */
    @Test
    void aHolderInOnlyTheSecondListKeepsTheGapOpenUntilItEnds() {
        tracker.walk(10, new long[] {12}, 0, 0); // 11 missing: its holder, 8, took the id but was not in the list yet
        tracker.running(Set.of(7L), 0, 0);
        tracker.running(Set.of(8L), 0, 10); // 7 ended: the first round ends at 10
        tracker.running(Set.of(8L), 0, 9 + RECHECK_GRACE_MS); // before the grace time: not the second round
        tracker.running(Set.of(), 9 + RECHECK_GRACE_MS);
        assertThat(tracker.walk(10, new long[] {12}, 9 + RECHECK_GRACE_MS, 1).resolved()).isEmpty();

        tracker.running(Set.of(8L), 0, 10 + RECHECK_GRACE_MS); // the second round's holders: {8}
        tracker.running(Set.of(8L), 5_000);
        var waiting = tracker.walk(10, new long[] {12}, 5_000, 2);
        assertThat(waiting.deliverable()).as("8 still runs").isZero();
        assertThat(waiting.resolved()).isEmpty();

        tracker.running(Set.of(), 5_010);
        var walk = tracker.walk(10, new long[] {12}, 5_020, 3);
        assertThat(walk.resolved()).containsExactly(new ResolvedGap(11, 11, Resolution.PROVED_EMPTY, 5_020));
        assertThat(walk.deliverable()).isEqualTo(1);
    }

    @Test
    void aHolderInOnlyTheSecondListThatCommitsFillsTheGap() {
        tracker.walk(10, new long[] {12}, 0, 0);
        tracker.running(Set.of(), 0, 0);
        tracker.running(Set.of(8L), 0, 10);
        tracker.running(Set.of(8L), 0, 10 + RECHECK_GRACE_MS);
        assertThat(tracker.walk(10, new long[] {12}, 20 + RECHECK_GRACE_MS, 1).deliverable()).isZero();
        tracker.running(Set.of(), 30 + RECHECK_GRACE_MS); // 8 committed: the next read sees 11

        var walk = tracker.walk(10, new long[] {11, 12}, 40 + RECHECK_GRACE_MS, 2);

        assertThat(walk.deliverable()).isEqualTo(2);
        assertThat(walk.resolved()).isEmpty();
    }

    @Test
    void aGapWithNothingRunningIsProvedEmptyOnlyAfterTheGraceTime() {
        tracker.walk(0, new long[] {5}, 0, 0);
        tracker.running(Set.of(), 0, 0);
        assertThat(tracker.walk(0, new long[] {5}, 1, 1).deliverable()).as("the holders are only known now").isZero();

        tracker.running(Set.of(), 1, 10); // the first round ends at 10
        tracker.running(Set.of(), 1, 9 + RECHECK_GRACE_MS); // too early for the second round
        tracker.running(Set.of(), 50 + RECHECK_GRACE_MS); // not fresh: no second round from it
        tracker.running(Set.of(), 60 + RECHECK_GRACE_MS);
        assertThat(tracker.walk(0, new long[] {5}, 70 + RECHECK_GRACE_MS, 2).deliverable()).isZero();

        tracker.running(Set.of(), 2, 80 + RECHECK_GRACE_MS); // the second round's holders: none
        assertThat(tracker.walk(0, new long[] {5}, 90 + RECHECK_GRACE_MS, 3).deliverable())
                .as("holders taken in one call are not also checked in it").isZero();
        tracker.running(Set.of(), 3, 100 + RECHECK_GRACE_MS);

        var walk = tracker.walk(0, new long[] {5}, 110 + RECHECK_GRACE_MS, 4);
        assertThat(walk.resolved()).containsExactly(new ResolvedGap(1, 4, Resolution.PROVED_EMPTY, 110 + RECHECK_GRACE_MS));
        assertThat(walk.deliverable()).isEqualTo(1);
    }

    @Test
    void givesAGapUpAfterTheTimeoutWhenItsHoldersAreUnknown() {
        tracker.walk(10, new long[] {12}, 0, 0);

        assertThat(tracker.walk(10, new long[] {12}, TIMEOUT_MS - 1, 1).deliverable()).isZero();
        var walk = tracker.walk(10, new long[] {12}, TIMEOUT_MS, 2);

        assertThat(walk.deliverable()).isEqualTo(1);
        assertThat(walk.resolved()).containsExactly(new ResolvedGap(11, 11, Resolution.TIMED_OUT, TIMEOUT_MS));
    }

    @Test
    void givesAGapUpAfterTheTimeoutWhenItsSecondRoundNeverEnds() {
        tracker.walk(10, new long[] {12}, 0, 0);
        tracker.running(Set.of(), 0, 0);
        tracker.running(Set.of(), 0, 10);
        tracker.running(Set.of(8L), 0, 10 + RECHECK_GRACE_MS);
        tracker.running(Set.of(8L), TIMEOUT_MS - 1);
        assertThat(tracker.walk(10, new long[] {12}, TIMEOUT_MS - 1, 1).deliverable()).isZero();

        var walk = tracker.walk(10, new long[] {12}, TIMEOUT_MS, 2);

        assertThat(walk.resolved()).containsExactly(new ResolvedGap(11, 11, Resolution.TIMED_OUT, TIMEOUT_MS));
    }

    @Test
    void aPartlyFilledGapKeepsItsHoldersRoundsAndAge() {
        tracker.walk(10, new long[] {16}, 0, 0);
        tracker.running(Set.of(7L), 0, 0);
        var partly = tracker.walk(10, new long[] {11, 12, 14, 16}, 10, 1);
        assertThat(partly.deliverable()).isEqualTo(2);
        assertThat(tracker.needsHolders()).as("13 and 15 are parts of the gap seen at 0").isFalse();

        tracker.running(Set.of(), 1, 15);
        assertThat(tracker.walk(12, new long[] {14, 16}, 20, 2).deliverable()).isZero();
        tracker.running(Set.of(), 2, 15 + RECHECK_GRACE_MS);
        tracker.running(Set.of(), 16 + RECHECK_GRACE_MS);
        var walk = tracker.walk(12, new long[] {14, 16}, 20 + RECHECK_GRACE_MS, 3);

        assertThat(walk.resolved()).containsExactly(new ResolvedGap(13, 13, Resolution.PROVED_EMPTY, 20 + RECHECK_GRACE_MS),
                new ResolvedGap(15, 15, Resolution.PROVED_EMPTY, 20 + RECHECK_GRACE_MS));
        assertThat(walk.deliverable()).isEqualTo(2);
    }

    @Test
    void everyGapOfAReadIsTrackedSoTheirHoldersAreReadTogether() {
        tracker.walk(0, new long[] {2, 4, 6}, 0, 0);
        tracker.running(Set.of(7L), 0, 0);
        tracker.running(Set.of(), 0, 0);
        tracker.running(Set.of(), 0, RECHECK_GRACE_MS);
        tracker.running(Set.of(), RECHECK_GRACE_MS);

        var walk = tracker.walk(0, new long[] {2, 4, 6}, 30 + RECHECK_GRACE_MS, 1);

        assertThat(walk.deliverable()).isEqualTo(3);
        assertThat(walk.resolved()).extracting(ResolvedGap::from).containsExactly(1L, 3L, 5L);
    }

    @Test
    void aGapSeenLaterGetsItsOwnHoldersAndClock() {
        tracker.walk(10, new long[] {12}, 0, 0);
        tracker.running(Set.of(7L), 0, 0);
        tracker.running(Set.of(), 0, 10);
        tracker.running(Set.of(), 0, 10 + RECHECK_GRACE_MS);
        tracker.running(Set.of(), 20 + RECHECK_GRACE_MS);
        var walk = tracker.walk(10, new long[] {12, 14}, 1_500, 5);
        assertThat(walk.deliverable()).as("11 proved empty, 12 delivered, 13 is new").isEqualTo(1);
        assertThat(tracker.needsHolders(4)).as("13 was first seen by the read stamped 5").isFalse();
        assertThat(tracker.needsHolders(5)).isTrue();

        assertThat(tracker.walk(12, new long[] {14}, 1_499 + TIMEOUT_MS, 6).deliverable()).isZero();
        assertThat(tracker.walk(12, new long[] {14}, 1_500 + TIMEOUT_MS, 7).resolved())
                .containsExactly(new ResolvedGap(13, 13, Resolution.TIMED_OUT, TIMEOUT_MS));
    }
}
