package io.onramp.connect.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;
import org.awaitility.Awaitility;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poll worker driven as Connect drives a task: poll() and stop() on one thread, the test's. */
class PollWorkerTest {

    private static final Duration WAIT = Duration.ofMillis(200);
    private final List<PollWorker<?>> workers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        workers.forEach(worker -> worker.stop(Duration.ofSeconds(5)));
    }

    @Test
    void aPollReturnsNullWithinItsWaitWhileTheWorkRunsAndALaterPollHandsOutThatSameWorksResult() throws Exception {
        var release = new CountDownLatch(1);
        var started = new AtomicInteger();
        var worker = worker("onramp-test-slow", () -> {
            int piece = started.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
            return "piece " + piece;
        });

        for (int i = 0; i < 3; i++) {
            long before = System.nanoTime();
            assertThat(worker.poll()).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
            assertThat(worker.working()).isTrue();
        }
        release.countDown();

        assertThat(pollUntilResult(worker)).isEqualTo("piece 1");
        assertThat(started.get()).as("one piece at a time: the null polls started no other").isEqualTo(1);
        assertThat(worker.working()).isFalse();
        assertThat(pollUntilResult(worker)).isEqualTo("piece 2");
    }

    @Test
    void theWorkRunsOnTheNamedThreadAndTheHandOverOnTheCallersJustBeforeTheResult() throws Exception {
        var workThread = new java.util.concurrent.atomic.AtomicReference<String>();
        var events = new ArrayList<String>();
        var worker = new PollWorker<String>("onramp-test-named", () -> {
            workThread.set(Thread.currentThread().getName());
            return "result";
        }, WAIT, () -> events.add("hand-over on " + Thread.currentThread().getName()));
        workers.add(worker);

        String result = pollUntilResult(worker);
        events.add("returned " + result);

        assertThat(workThread.get()).isEqualTo("onramp-test-named");
        assertThat(events).containsExactly("hand-over on " + Thread.currentThread().getName(), "returned result");
    }

    @Test
    void aStopEndsWorkThatGivesUpWhenAskedWithoutInterruptingIt() throws Exception {
        var stopFlag = new AtomicBoolean();
        var interrupted = new AtomicBoolean();
        var running = new CountDownLatch(1);
        var worker = worker("onramp-test-cooperative", () -> {
            running.countDown();
            while (!stopFlag.get()) {
                Thread.onSpinWait(); // a sort that checks its flag now and then
            }
            interrupted.set(Thread.currentThread().isInterrupted());
            return "gave up";
        });
        assertThat(worker.poll()).isNull();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        stopFlag.set(true);
        long before = System.nanoTime();
        boolean ended = worker.stop(Duration.ofSeconds(6));

        assertThat(ended).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
        assertThat(interrupted.get()).as("interrupted before it could clean up").isFalse();
        awaitGone("onramp-test-cooperative");
        assertThat(worker.poll()).as("nothing after the stop").isNull();
    }

    @Test
    void aStopInterruptsWorkThatDoesNotGiveUpByItselfAndWaitsForItsThread() throws Exception {
        var running = new CountDownLatch(1);
        var worker = worker("onramp-test-blocked", () -> {
            running.countDown();
            new CountDownLatch(1).await(); // a wait that only an interrupt ends
            return "never";
        });
        assertThat(worker.poll()).isNull();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        long before = System.nanoTime();
        boolean ended = worker.stop(Duration.ofSeconds(4));

        assertThat(ended).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        // Interrupted at half the 4 s deadline; the upper bound leaves slack for a loaded machine.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_900)).isLessThan(Duration.ofSeconds(8));
        awaitGone("onramp-test-blocked");
    }

    @Test
    void aStopReportsWorkThatIgnoresEvenTheInterrupt() throws Exception {
        var release = new CountDownLatch(1);
        var running = new CountDownLatch(1);
        var worker = worker("onramp-test-deaf", () -> {
            running.countDown();
            while (true) {
                try {
                    if (release.await(30, TimeUnit.SECONDS)) {
                        return "released";
                    }
                } catch (InterruptedException e) {
                    // a read that ignores interrupts
                }
            }
        });
        assertThat(worker.poll()).isNull();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(worker.stop(Duration.ofMillis(400))).isFalse();
        assertThat(threadAlive("onramp-test-deaf")).isTrue();

        release.countDown();
        awaitGone("onramp-test-deaf");
    }

    @Test
    void whatTheWorkThrowsIsThrownByThePollThatHandsItOut() throws Exception {
        var failure = new RetriableException("database gone");
        var calls = new AtomicInteger();
        var handOvers = new AtomicInteger();
        var worker = new PollWorker<String>("onramp-test-failing", () -> {
            if (calls.incrementAndGet() == 1) {
                throw failure;
            }
            throw new IOException("disk gone");
        }, WAIT, handOvers::incrementAndGet);
        workers.add(worker);

        assertThatThrownBy(() -> pollUntilResult(worker)).isSameAs(failure);
        assertThatThrownBy(() -> pollUntilResult(worker)).isInstanceOf(ConnectException.class)
                .hasMessage("disk gone").hasCauseInstanceOf(IOException.class);
        assertThat(handOvers.get()).as("what a failed piece asked for still goes through").isEqualTo(2);
    }

    @Test
    void workThatEndsBecauseOfTheStopThrowsNothing() throws Exception {
        var running = new CountDownLatch(1);
        var worker = worker("onramp-test-cancelled", () -> {
            running.countDown();
            new CountDownLatch(1).await(); // ends only by the stop's interrupt
            return "never";
        });
        assertThat(worker.poll()).isNull();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        var polled = new java.util.concurrent.atomic.AtomicReference<Object>("nothing yet");
        Thread poller = new Thread(() -> { // a test may still poll from a second thread while stop() runs
            try {
                polled.set(pollUntilResultOrStop(worker));
            } catch (Throwable e) {
                polled.set(e);
            }
        });
        poller.start();

        assertThat(worker.stop(Duration.ofSeconds(2))).isTrue();
        poller.join(5_000);

        assertThat(poller.isAlive()).isFalse();
        assertThat(polled.get()).isEqualTo("null");
    }

    private PollWorker<String> worker(String name, java.util.concurrent.Callable<String> work) {
        var worker = new PollWorker<>(name, work, WAIT, () -> { });
        workers.add(worker);
        return worker;
    }

    private static String pollUntilResult(PollWorker<String> worker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String result = worker.poll();
            if (result != null) {
                return result;
            }
        }
        throw new AssertionError("no result within 30 s");
    }

    private static String pollUntilResultOrStop(PollWorker<String> worker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String result = worker.poll();
            if (result != null) {
                return result;
            }
            if (!worker.working()) {
                return "null";
            }
        }
        throw new AssertionError("no result within 30 s");
    }

    static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private static void awaitGone(String name) {
        Awaitility.await(name + " gone").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> !threadAlive(name));
    }
}
