package io.onramp.connect.source.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that never goes back: {@link System#nanoTime()} from the instant it was made. The gap reader measures
 * waits with it (a wall clock set back or forward would shorten or stretch them); tests give it a clock they move.
 */
final class NanoClock extends Clock {

    private final long originNanos = System.nanoTime();
    private final Instant origin = Instant.now();

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(System.nanoTime() - originNanos);
    }
}
