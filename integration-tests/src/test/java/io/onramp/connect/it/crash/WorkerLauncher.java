package io.onramp.connect.it.crash;

import org.apache.kafka.connect.cli.ConnectDistributed;

/**
 * The main class of a worker process: Connect's own {@code ConnectDistributed}, plus a watchdog that halts the
 * worker when the test JVM that started it is gone (its stdin pipe closes), so that not even a test JVM killed by
 * Surefire's fork timeout leaves an orphan worker behind.
 *
 * <p>{@link WorkerProcess} copies this one class file next to the worker's classpath, so it must depend on nothing
 * but the JDK and {@code ConnectDistributed} (present under the same name in every supported Connect version).
 */
public final class WorkerLauncher {

    private WorkerLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is ever written; only the end of the stream matters
                }
            } catch (java.io.IOException e) {
                // a broken pipe means the parent is gone, too
            }
            System.err.println("WorkerLauncher: the test JVM is gone; halting this worker");
            Runtime.getRuntime().halt(3);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        ConnectDistributed.main(args);
    }
}
