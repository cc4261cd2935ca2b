package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadAheadReaderTest {

    private static final String THREAD = "read-ahead-test";
    private static final int MAX = 3;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(10_000), ZoneOffset.UTC);

    private final List<ReadAheadReader> opened = new ArrayList<>();

    @AfterEach
    void closeReaders() {
        opened.forEach(ReadAheadReader::close);
    }

    private ReadAheadReader readAhead(ScriptedReader delegate) {
        var reader = new ReadAheadReader(delegate, CLOCK, THREAD);
        opened.add(reader);
        return reader;
    }

    /** Polls like the task does until a batch comes (a poll returns null while the read is under way). */
    private static List<SourceRecord> nextBatch(ReadAheadReader reader) {
        List<List<SourceRecord>> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<SourceRecord> batch = reader.poll(MAX, CLOCK.millis());
            if (batch != null) {
                got.add(batch);
            }
            return !got.isEmpty();
        });
        return got.get(0);
    }

    private static List<Object> ids(List<SourceRecord> batch) {
        return batch.stream().map(SourceRecord::value).toList();
    }

    @Test
    void theNextBatchIsReadOnTheReadAheadThreadWhileTheCallerHoldsThisOneAndOnlyOneAhead() throws Exception {
        var delegate = new ScriptedReader().batch(1, 2, 3).batch(4, 5, 6).lastBatch(7);
        var reader = readAhead(delegate);

        assertThat(ids(nextBatch(reader))).containsExactly(1, 2, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> delegate.polls.get() == 2); // read without being polled
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> delegate.polls.get() == 2);
        assertThat(reader.nextRoundAtMs()).as("a batch is waiting").isZero();

        assertThat(ids(nextBatch(reader))).containsExactly(4, 5, 6);
        assertThat(ids(nextBatch(reader))).containsExactly(7);
        assertThat(reader.poll(MAX, CLOCK.millis())).as("the round is over").isNull();
        assertThat(delegate.polls).as("no read after the round's last batch").hasValue(3);
        assertThat(reader.nextRoundAtMs()).isEqualTo(CLOCK.millis() + ScriptedReader.INTERVAL_MS);
        assertThat(delegate.threads).as("every read off the caller's thread").containsOnly(THREAD);
        assertThat(delegate.maxAsked).containsOnly(MAX);
    }

    @Test
    void aFailedReadSurfacesAfterTheBatchesReadBeforeItAsTheSameExceptionAndTheNextPollReadsAgain() {
        var failure = new RetriableException("connection reset");
        var delegate = new ScriptedReader().batch(1, 2, 3).failure(failure).lastBatch(1, 2);
        var reader = readAhead(delegate);

        assertThat(ids(nextBatch(reader))).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> nextBatch(reader)).isSameAs(failure);
        assertThat(ids(nextBatch(reader))).as("a new round after the failure").containsExactly(1, 2);
    }

    @Test
    void noReadStartsBeforeTheRoundIsDue() throws Exception {
        var delegate = new ScriptedReader().lastBatch(1);
        delegate.nextRoundAtMs = 20_000;
        var reader = readAhead(delegate);

        assertThat(reader.poll(MAX, 19_999)).isNull();
        assertThat(delegate.polls).hasValue(0);
        assertThat(reader.nextRoundAtMs()).isEqualTo(20_000);
        List<SourceRecord> batch = null;
        for (int i = 0; i < 100 && batch == null; i++) { // at most 100 polls of WAIT_MS each
            batch = reader.poll(MAX, 20_000);
        }
        assertThat(batch).isNotNull();
        assertThat(ids(batch)).containsExactly(1);
    }

    @Test
    void closeEndsAReadBlockedOnItsConnectionAndLaterPollsReturnNothing() throws Exception {
        var delegate = new ScriptedReader().blockUntilClosed();
        var reader = readAhead(delegate);

        assertThat(reader.poll(MAX, CLOCK.millis())).as("the read is under way").isNull();
        assertThat(delegate.started.await(10, TimeUnit.SECONDS)).isTrue();
        reader.requestStop();
        assertTimeoutPreemptively(Duration.ofSeconds(3), reader::close);
        assertThat(delegate.closes.get()).isGreaterThanOrEqualTo(1);
        assertThat(delegate.stopRequested).isTrue();
        assertThat(reader.poll(MAX, CLOCK.millis())).isNull();
    }

    /**
     * A reader that plays a script, as a {@link TableReader} in a round would: batches, then the round's last one
     * (after which the next round is {@link #INTERVAL_MS} away), or a failure (after which a new round may start).
     */
    private static final class ScriptedReader implements TargetReader {

        static final long INTERVAL_MS = 60_000;

        private final Deque<Object> script = new ArrayDeque<>();
        final AtomicInteger polls = new AtomicInteger();
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> maxAsked = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger closes = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);
        private boolean blockUntilClosed;
        volatile boolean stopRequested;
        private boolean inRound;
        long nextRoundAtMs;

        private record Last(List<Integer> ids) {
        }

        ScriptedReader batch(Integer... ids) {
            script.add(List.of(ids));
            return this;
        }

        ScriptedReader lastBatch(Integer... ids) {
            script.add(new Last(List.of(ids)));
            return this;
        }

        ScriptedReader failure(RuntimeException e) {
            script.add(e);
            return this;
        }

        ScriptedReader blockUntilClosed() {
            blockUntilClosed = true;
            return this;
        }

        @Override
        public List<SourceRecord> poll(int max, long nowMs) throws InterruptedException {
            polls.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            maxAsked.add(max);
            started.countDown();
            if (blockUntilClosed) {
                closed.await(); // a socket read that only closing the connection ends
                throw new RetriableException("connection closed");
            }
            inRound = true;
            Object step = script.poll();
            if (step instanceof RuntimeException e) {
                inRound = false;
                throw e;
            }
            if (step instanceof Last last) {
                inRound = false;
                nextRoundAtMs = nowMs + INTERVAL_MS;
                return records(last.ids());
            }
            @SuppressWarnings("unchecked")
            List<Integer> ids = (List<Integer>) step;
            return records(ids);
        }

        private static List<SourceRecord> records(List<Integer> ids) {
            return ids.stream().map(id -> new SourceRecord(Map.of("table", "t"), null, "topic", null, null, null,
                    Schema.INT32_SCHEMA, id)).toList();
        }

        @Override
        public long nextRoundAtMs() {
            return inRound ? 0 : nextRoundAtMs;
        }

        @Override
        public void requestStop() {
            stopRequested = true;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            closed.countDown();
        }
    }
}
