package io.onramp.connect.core.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count, cheap to increment from several threads (poll and the producer's acks). */
public final class Counter {

    private final LongAdder adder = new LongAdder();

    public void increment() {
        adder.increment();
    }

    public void add(long n) {
        adder.add(n);
    }

    public long get() {
        return adder.sum();
    }
}
