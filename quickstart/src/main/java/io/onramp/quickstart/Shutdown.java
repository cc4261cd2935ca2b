package io.onramp.quickstart;

import sun.misc.Signal;

/**
 * Runs an action on Ctrl-C (SIGINT) or SIGTERM instead of shutting the JVM down at once.
 *
 * <p>Why not a shutdown hook: hooks run concurrently, and Kafka's test kit registers one that deletes the broker's
 * log directories; a hook that stops the broker races with it, and the broker logs storage errors as its files
 * vanish. Handling the signal lets the quickstart stop the worker and the broker first and exit afterwards.
 * {@code sun.misc.Signal} is in the JDK's supported {@code jdk.unsupported} module on every Java 17+ JVM.
 */
final class Shutdown {

    private Shutdown() {
    }

    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("TERM"), signal -> action.run());
        Signal.handle(new Signal("INT"), signal -> action.run());
    }
}
