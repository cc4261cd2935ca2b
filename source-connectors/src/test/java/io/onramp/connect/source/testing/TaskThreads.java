package io.onramp.connect.source.testing;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** The threads a task under test started (named {@code onramp-...}), for checks that a stop ended them. */
public final class TaskThreads {

    private TaskThreads() {
    }

    /** Every live thread now, to tell the task's new threads from those that were there before it. */
    public static Set<Thread> snapshot() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * JVM-wide threads that idle on after their work (for 30 s and 60 s) and serve every sort: not the task's, though a
     * task may be the first to start one.
     */
    private static final Set<String> SHARED = Set.of("onramp-sort-cleanup", "onramp-run-file-sync");

    /** The names of live {@code onramp-} threads that were not in {@code before}, the JVM-wide ones left out. */
    public static Set<String> started(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t) && t.getName().startsWith("onramp-")
                        && !SHARED.contains(t.getName()))
                .map(Thread::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The task's threads still alive after waiting up to 20 s for them to end (a pool thread signals its end just before
     * it ends); empty when all have gone.
     */
    public static Set<String> aliveAfterStop(Set<Thread> before) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                    .until(() -> started(before).isEmpty());
        } catch (ConditionTimeoutException e) {
            // the caller's assertion names the threads still alive
        }
        return started(before);
    }
}
