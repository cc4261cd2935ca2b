package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(tracker.expire(999).ids()).isZero();
        assertThat(tracker.expire(1_000)).isEqualTo(new GapTracker.Count(1, 3));
        assertThat(tracker.gaps()).containsExactly(new GapTracker.Gap(6, 7, 500));
    }

    @Test
    void stateSurvivesEncodingIncludingNegativeIds() {
        var tracker = new GapTracker(60_000, 100);
        tracker.seen(-10, 0);
        tracker.seen(-5, 1);
        tracker.seen(3, 2);
        GapTracker copy = GapTracker.decode(tracker.encodedGaps(), tracker.maxSeen(), 60_000, 100);
        assertThat(copy.maxSeen()).isEqualTo(3);
        assertThat(copy.gaps()).isEqualTo(tracker.gaps());
        assertThat(copy.gaps()).containsExactly(new GapTracker.Gap(-9, -6, 1), new GapTracker.Gap(-4, 2, 2));
        assertThat(GapTracker.decode("", null, 1, 1).maxSeen()).isNull();
    }

    @Test
    void theEarlierFormatTextGivesThe010DecoderTheHighestIdAndNoGapsWithOrWithoutOpenGaps() {
        var tracker = new GapTracker(60_000, 100);
        assertThat(GapOffsetDecoder010.decode(tracker.maxOnlyEarlierFormat()).maxSeen()).as("before the first id").isNull();
        tracker.seen(1, 0);
        tracker.seen(2, 0);
        assertThat(tracker.gaps()).isEmpty();
        assertThat(GapOffsetDecoder010.decode(tracker.maxOnlyEarlierFormat())).isEqualTo(new GapOffsetDecoder010.State(2L, List.of()));
        tracker.seen(5, 10); // 3..4 open
        tracker.seen(10, 20); // 6..9 open
        assertThat(tracker.hasGaps()).isTrue();
        assertThat(GapOffsetDecoder010.decode(tracker.maxOnlyEarlierFormat())).isEqualTo(new GapOffsetDecoder010.State(10L, List.of()));
        // The gap text itself is what 0.1.0 cannot read (no '|'): it must never be in the entry it reads.
        assertThatThrownBy(() -> GapOffsetDecoder010.decode(tracker.encodedGaps())).isInstanceOf(StringIndexOutOfBoundsException.class);
        String text = tracker.maxOnlyEarlierFormat();
        assertThat(tracker.maxOnlyEarlierFormat()).as("one instance while the highest id holds").isSameAs(text);
        // And this version reads it back the same way (the highest id, no gaps).
        GapTracker back = GapTracker.decode(text, null, 60_000, 100);
        assertThat(back.maxSeen()).isEqualTo(10L);
        assertThat(back.gaps()).isEmpty();
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
        assertThat(tracker.takeDropped()).as("counted for the warning").isEqualTo(new GapTracker.Count(1, 1));
        assertThat(tracker.takeDropped()).isEqualTo(GapTracker.Count.NONE);
    }

    @Test
    void anOffsetInTheFormatOfEarlierVersionsIsRead() {
        // What GapTracker.encode() wrote into every record's offset before the gap text (main at ec5bb5f).
        GapTracker tracker = GapTracker.decode("1001|-3~-1@17,2~2@1700000000000,998~1000@1700000000005", null, 60_000, 100);
        assertThat(tracker.maxSeen()).isEqualTo(1001);
        assertThat(tracker.gaps()).containsExactly(new GapTracker.Gap(-3, -1, 17), new GapTracker.Gap(2, 2, 1_700_000_000_000L),
                new GapTracker.Gap(998, 1000, 1_700_000_000_005L));
        assertThat(GapTracker.decode("7|", null, 60_000, 100).gaps()).isEmpty();
        assertThat(GapTracker.decode("|", null, 60_000, 100).maxSeen()).isNull();
        assertThat(tracker.seen(999, 0)).isTrue();
        assertThat(tracker.seen(500, 0)).as("read before the offset was written").isFalse();
    }

    @Test
    void anEarlierOffsetWithMoreGapsThanTheCapacityKeepsTheHighestAndCountsTheRest() {
        GapTracker tracker = GapTracker.decode("9|1~1@0,3~3@0,5~5@0,7~8@0", null, 60_000, 2);
        assertThat(tracker.gaps()).extracting(GapTracker.Gap::from).containsExactly(5L, 7L);
        assertThat(tracker.takeDropped()).isEqualTo(new GapTracker.Count(2, 2));
    }

    @Test
    void theGapTextIsOneInstanceUntilTheGapsChange() {
        var tracker = new GapTracker(60_000, 100);
        tracker.seen(1, 0);
        tracker.seen(5, 0);
        String text = tracker.encodedGaps();
        tracker.seen(6, 1); // the highest id moves on, the gaps stay
        tracker.seen(7, 2);
        tracker.seen(1, 3); // seen before
        assertThat(tracker.encodedGaps()).isSameAs(text);
        tracker.seen(3, 4);
        assertThat(tracker.encodedGaps()).isNotEqualTo(text);
        assertThat(GapTracker.decode(tracker.encodedGaps(), 7L, 60_000, 100).gaps()).isEqualTo(tracker.gaps());
    }

    @Test
    void theGapTextStaysSmallOnATableMissingEveryOtherId() {
        // Each record's offset carries the gap text: on such a table every row opens a gap, and the text must not
        // grow with the rows read (it did: 140 KB per record after 10,000 gaps, built anew for every row).
        int cap = 1_000;
        var tracker = new GapTracker(60_000, cap);
        long now = 1_764_000_000_000L;
        int longest = 0;
        for (long id = 2; id <= 200_000; id += 2) {
            tracker.seen(id, now + id / 100); // a millisecond passes every 50 rows
            longest = Math.max(longest, tracker.encodedGaps().length());
        }
        assertThat(tracker.gaps()).hasSize(cap);
        // The first gap written in full (from, since: 20 characters), then "," + distance 2 + "@1" at most per gap.
        assertThat(longest).isLessThanOrEqualTo(30 + 5 * cap);
        assertThat(GapTracker.decode(tracker.encodedGaps(), tracker.maxSeen(), 60_000, cap).gaps()).isEqualTo(tracker.gaps());
        assertThat(tracker.takeDropped()).isEqualTo(new GapTracker.Count(100_000 - cap, 100_000 - cap));
    }

    @Test
    void theGapTextAlwaysDecodesToTheGapsHeldWhateverHappenedToThem() {
        // Appends, drops for capacity, fills anywhere and expiry, each followed by the text a record would carry.
        var random = new java.util.Random(42);
        var tracker = new GapTracker(1_000, 50);
        long id = random.nextInt(20) - 10;
        for (int step = 0; step < 20_000; step++) {
            long now = step;
            int op = random.nextInt(10);
            if (op < 5) {
                id += 1 + random.nextInt(4) + (random.nextInt(50) == 0 ? 1_000_000_000_000L : 0);
                tracker.seen(id, now);
            } else if (op < 9 && tracker.hasGaps()) {
                var gaps = tracker.gaps();
                var gap = gaps.get(random.nextInt(gaps.size()));
                tracker.seen(gap.from() + (long) (random.nextDouble() * (gap.to() - gap.from() + 1)), now);
            } else {
                tracker.expire(now - random.nextInt(900));
            }
            assertThat(GapTracker.decode(tracker.encodedGaps(), tracker.maxSeen(), 1_000, 50).gaps())
                    .as("step %d", step).isEqualTo(tracker.gaps());
        }
    }

    @Test
    void aMalformedGapTextIsAnErrorThatNamesTheGapNotItsText() {
        assertThatThrownBy(() -> GapTracker.decode("5@1,2,x", 9L, 60_000, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gap 3 of the offset's gap list is malformed");
        assertThatThrownBy(() -> GapTracker.decode("5,2", 9L, 60_000, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
