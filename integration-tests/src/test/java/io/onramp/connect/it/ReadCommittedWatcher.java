package io.onramp.connect.it;

import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Watches what a read_committed consumer can count while a test runs, for "all or nothing" checks. Its failure
 * fails the test ({@link #stop()} rethrows it), and it takes one last count after it was asked to stop, so a
 * test can assert that the full count was actually seen.
 */
public final class ReadCommittedWatcher {

    private final Set<Integer> observed = new ConcurrentSkipListSet<>();
    private final AtomicBoolean watching = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    private ReadCommittedWatcher(IntSupplier count) {
        thread = new Thread(() -> {
            try {
                boolean more;
                do {
                    more = watching.get(); // read first: the count after a stop request is the last one
                    observed.add(count.getAsInt());
                } while (more);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "read-committed-watcher");
        thread.setDaemon(true);
    }

    public static ReadCommittedWatcher start(IntSupplier count) {
        var watcher = new ReadCommittedWatcher(count);
        watcher.thread.start();
        return watcher;
    }

    /** Stops watching (after one last count) and returns every distinct count seen; rethrows the watcher's failure. */
    public Set<Integer> stop() throws InterruptedException {
        watching.set(false);
        thread.join(120_000);
        if (thread.isAlive()) {
            throw new AssertionError("the read_committed watcher did not stop within 120 s");
        }
        if (failure.get() != null) {
            throw new AssertionError("the read_committed watcher failed", failure.get());
        }
        return Set.copyOf(observed);
    }
}
