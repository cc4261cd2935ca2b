package io.onramp.connect.core.task;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the work of a source task's {@code poll()} on a thread the task owns, so that a long piece of it (sorting
 * a large dump, reading a whole table) neither holds {@code poll()} for minutes nor keeps {@code stop()} waiting.
 *
 * <p>Connect (3.x, 4.x) calls {@code SourceTask.stop()} on the task's own thread, from its close step, only after
 * {@code poll()} has returned; a stop request (rebalance, restart, delete) only sets a flag that the task thread
 * looks at between polls. So {@link #poll()} waits for the work at most {@code wait} and returns null while it
 * goes on; the next call waits for the same work (one piece at a time, results handed out in order); and
 * {@link #stop(Duration)}, called from the task's {@code stop()}, ends the thread within a deadline.
 *
 * <p>Whatever the work asks of Connect's task context that Connect acts on after a poll returns (transaction
 * boundaries) must reach Connect with the batch it belongs to, not while a poll returns null: see
 * {@link HandOverContext}, whose {@code handOver()} goes in as {@code onHandOver}.
 *
 * @param <T> what one piece of work gives (a batch of records, or null for nothing now)
 */
public final class PollWorker<T> {

    private static final Logger log = LoggerFactory.getLogger(PollWorker.class);

    private final Callable<T> work;
    private final Runnable onHandOver;
    private final long waitNanos;
    private final ExecutorService thread;
    private final String threadName;
    private Future<T> pending;
    private volatile boolean stopped;

    /**
     * @param threadName the thread's name; start it with {@code onramp-} so that it can be told apart in a dump
     * @param work one piece of a poll's work, run on the thread
     * @param wait how long {@link #poll()} waits for it before it returns null
     * @param onHandOver run on the caller's thread just before a piece's result or failure is handed out
     */
    public PollWorker(String threadName, Callable<T> work, Duration wait, Runnable onHandOver) {
        this.work = work;
        this.onHandOver = onHandOver;
        this.waitNanos = wait.toNanos();
        this.threadName = threadName;
        // One thread, made on the first piece of work, never replaced (a failed piece does not kill it).
        this.thread = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true); // a thread that ignored its stop must not keep the worker JVM from exiting
            return t;
        });
    }

    /**
     * The result of the piece of work in progress, starting one if none is; null if it is still running after
     * {@code wait}, or if it gave null, or once stopped. A piece that failed throws its exception here, as if
     * it had been thrown on this thread (a checked one wrapped in a {@link ConnectException}).
     */
    public T poll() throws InterruptedException {
        if (stopped) {
            return null;
        }
        if (pending == null) {
            try {
                pending = thread.submit(work);
            } catch (RejectedExecutionException e) {
                return null; // stopped meanwhile (stop() on another thread, as a test may do)
            }
        }
        T result;
        try {
            result = pending.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (CancellationException e) {
            pending = null;
            return null;
        } catch (ExecutionException e) {
            pending = null;
            if (stopped) {
                log.debug("Work on {} ended by the stop: {}", threadName, e.getCause().toString());
                return null;
            }
            onHandOver.run(); // as if thrown on this thread: what the piece asked for before it failed goes through
            throw rethrown(e.getCause());
        }
        pending = null;
        if (stopped) {
            return null; // what it gave after the stop goes nowhere, as Connect would not send it either
        }
        onHandOver.run();
        return result;
    }

    /** Whether a piece of work is running that {@link #poll()} has not handed out yet. */
    public boolean working() {
        return pending != null && !pending.isDone();
    }

    /**
     * Ends the thread: no new work starts; the piece in progress gets half the {@code deadline} to give up by
     * itself (the caller has asked it to, e.g. through a stop flag that a sort checks), then the thread is
     * interrupted and waited for the rest. Interrupting first would cut short the cleanup the work does as it
     * gives up (waiting for threads of its own, deleting partial files).
     *
     * @return whether the thread has ended; if not, it is logged, and the caller must not assume it idle
     */
    public boolean stop(Duration deadline) {
        stopped = true;
        thread.shutdown();
        long half = deadline.toNanos() / 2;
        try {
            if (thread.awaitTermination(half, TimeUnit.NANOSECONDS)) {
                return true;
            }
            thread.shutdownNow();
            if (thread.awaitTermination(deadline.toNanos() - half, TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.error("Thread {} did not end within {} ms of the task's stop; it may still be working", threadName,
                deadline.toMillis());
        return false;
    }

    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new ConnectException(failure.getMessage(), failure);
    }
}
