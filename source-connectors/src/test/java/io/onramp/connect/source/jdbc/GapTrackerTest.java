package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GapTrackerTest {

    @Test
    void idsSkippedBelowTheHighestReadStayOpenUntilARowFillsThem() {
        var tracker = new GapTracker(60_000, 100);
        assertThat(tracker.seen(1, 0)).isTrue();
        assertThat(tracker.seen(2, 0)).isTrue();
        assertThat(tracker.seen(6, 10)).isTrue(); // 3..5 taken by transactions not committed yet
        assertThat(tracker.gaps()).containsExactly(new GapTracker.Gap(3, 5, 10));
        assertThat(tracker.seen(4, 20)).isTrue();
        assertThat(tracker.gaps()).containsExactly(new GapTracker.Gap(3, 3, 10), new GapTracker.Gap(5, 5, 10));
        assertThat(tracker.seen(4, 30)).as("already seen").isFalse();
        assertThat(tracker.seen(2, 30)).isFalse();
        assertThat(tracker.seen(3, 40)).isTrue();
        assertThat(tracker.seen(5, 40)).isTrue();
        assertThat(tracker.gaps()).isEmpty();
        assertThat(tracker.maxSeen()).isEqualTo(6);
    }

    @Test
    void theFirstIdLeavesIdsFromOneOpen() {
        var tracker = new GapTracker(60_000, 100);
        tracker.seen(4, 0);
        assertThat(tracker.gaps()).containsExactly(new GapTracker.Gap(1, 3, 0));
    }

    @Test
    void gapsExpireAfterTheTimeoutAndCountTheIdsGivenUp() {
        var tracker = new GapTracker(1_000, 100);
        tracker.seen(1, 0);
        tracker.seen(5, 0);     // 2..4
        tracker.seen(8, 500);   // 6..7
        assertThat(tracker.expire(999)).isZero();
        assertThat(tracker.expire(1_000)).isEqualTo(3);
        assertThat(tracker.gaps()).containsExactly(new GapTracker.Gap(6, 7, 500));
    }

    @Test
    void stateSurvivesEncodingIncludingNegativeIds() {
        var tracker = new GapTracker(60_000, 100);
        tracker.seen(-10, 0);
        tracker.seen(-5, 1);
        tracker.seen(3, 2);
        GapTracker copy = GapTracker.decode(tracker.encode(), 60_000, 100);
        assertThat(copy.maxSeen()).isEqualTo(3);
        assertThat(copy.gaps()).isEqualTo(tracker.gaps());
        assertThat(copy.gaps()).containsExactly(new GapTracker.Gap(-9, -6, 1), new GapTracker.Gap(-4, 2, 2));
        assertThat(GapTracker.decode("", 1, 1).maxSeen()).isNull();
    }

    @Test
    void withTimeoutZeroNoGapIsTracked() {
        var tracker = new GapTracker(0, 100);
        tracker.seen(1, 0);
        tracker.seen(10, 0);
        assertThat(tracker.gaps()).isEmpty();
    }

    @Test
    void theOldestGapGivesWayWhenTooManyAreOpen() {
        var tracker = new GapTracker(60_000, 2);
        tracker.seen(1, 0);
        tracker.seen(3, 0);
        tracker.seen(5, 0);
        tracker.seen(7, 0);
        assertThat(tracker.gaps()).extracting(GapTracker.Gap::from).isEqualTo(List.of(4L, 6L));
    }
}
