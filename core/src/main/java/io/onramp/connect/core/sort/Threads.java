package io.onramp.connect.core.sort;

import java.util.concurrent.atomic.AtomicBoolean;

/** Waiting for a worker thread that stops itself once a flag is set. */
public final class Threads {

    private Threads() {
    }

    /**
     * Waits for {@code thread} to end. An interrupt meanwhile sets {@code stop}, which the thread checks as it works,
     * and the wait goes on: the caller must not use what the thread holds before it has ended.
     *
     * @return whether the caller was interrupted; its interrupt status is then clear, for the caller to set again
     *         once it has waited for all its threads
     */
    public static boolean joinStopping(Thread thread, AtomicBoolean stop) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
                stop.set(true);
            }
        }
    }
}
