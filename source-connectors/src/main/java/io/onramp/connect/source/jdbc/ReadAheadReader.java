package io.onramp.connect.source.jdbc;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the next batch of a reader on a thread of its own while the worker converts and sends the batch just
 * returned: in a Connect worker, the task thread that calls {@code poll} also runs the converter and the producer's
 * {@code send}, so a reader that fetches and builds its Structs in {@code poll} leaves them waiting. At most one
 * batch is read ahead (memory stays bounded by {@code batch.max.rows}); batches come out in the order they were
 * read, and a read's failure comes out of the {@code poll} after the batches read before it, as the same exception.
 *
 * <p>Only for readers whose records carry no state that a later batch depends on (mode {@code bulk}): the delegate
 * is only ever called from one thread at a time, the read-ahead thread while a read is under way, else the poller.
 */
final class ReadAheadReader implements TargetReader {

    private static final Logger log = LoggerFactory.getLogger(ReadAheadReader.class);
    /** How long one poll waits for a read under way before letting the task serve its other readers. */
    static final long WAIT_MS = 100;
    /** How long close waits for the read under way to end once its connection is closed. */
    private static final long CLOSE_WAIT_MS = 1_000;

    private final TargetReader delegate;
    private final Clock clock;
    private final ExecutorService thread;
    /** The read under way or done and not yet returned; touched by the polling thread only. */
    private Future<List<SourceRecord>> pending;
    private volatile boolean stopping;

    ReadAheadReader(TargetReader delegate, Clock clock, String threadName) {
        this.delegate = delegate;
        this.clock = clock;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true); // never keeps a worker JVM alive
            return t;
        });
    }

    @Override
    public List<SourceRecord> poll(int max, long nowMs) throws InterruptedException {
        if (stopping) {
            return null;
        }
        if (pending == null) {
            if (delegate.nextRoundAtMs() > nowMs) {
                return null; // no round due: nothing to read
            }
            pending = read(max);
            if (pending == null) {
                return null;
            }
        }
        List<SourceRecord> batch;
        try {
            batch = pending.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null; // still reading: the task serves its other readers (or the worker polls again) meanwhile
        } catch (ExecutionException e) {
            pending = null;
            if (stopping) {
                return null; // the read failed because close() closed its connection
            }
            throw rethrow(e.getCause());
        }
        pending = null;
        if (delegate.nextRoundAtMs() == 0) {
            pending = read(max); // the round goes on: read the next batch while the worker sends this one
        }
        return batch;
    }

    /** Starts reading the next batch on the read-ahead thread; null once the reader is closed. */
    private Future<List<SourceRecord>> read(int max) {
        try {
            return thread.submit(() -> delegate.poll(max, clock.millis()));
        } catch (RejectedExecutionException e) {
            return null; // closed
        }
    }

    private static RuntimeException rethrow(Throwable cause) throws InterruptedException {
        if (cause instanceof RuntimeException runtime) {
            return runtime; // RetriableException, ConnectException: the task's error as the reader raised it
        }
        if (cause instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new ConnectException("reading ahead failed", cause);
    }

    @Override
    public long nextRoundAtMs() {
        return pending != null ? 0 : delegate.nextRoundAtMs();
    }

    @Override
    public boolean midTransaction() {
        return false; // records of bulk reads open no transaction of their own
    }

    @Override
    public void acknowledged(SourceRecord record) {
        delegate.acknowledged(record);
    }

    @Override
    public void requestStop() {
        stopping = true;
        delegate.requestStop();
    }

    /**
     * Stops the read-ahead thread: closing the delegate's connection ends a read under way (a blocked socket read
     * ignores interrupts), then the delegate is closed once more for a connection that read may have opened meanwhile.
     */
    @Override
    public void close() {
        stopping = true;
        thread.shutdownNow();
        delegate.close();
        try {
            if (!thread.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                log.warn("The read-ahead thread did not end within {} ms of its connection being closed", CLOSE_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delegate.close();
    }
}
