package io.onramp.connect.source.jdbc;

import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/** Reads one {@link ReadTarget} for the task, in the task's poll thread. */
interface TargetReader extends AutoCloseable {

    /** Up to {@code max} records, or null when this reader has nothing now. */
    List<SourceRecord> poll(int max, long nowMs) throws InterruptedException;

    /** When this reader next has work (epoch ms), for the task's sleep; 0 when it has some now. */
    long nextRoundAtMs();

    /**
     * Whether records of one transaction are still to come: the task then polls this reader alone, so that no
     * other table's records join (and commit with) that transaction.
     */
    default boolean midTransaction() {
        return false;
    }

    /** Kafka acknowledged a record of this reader (producer callback thread). */
    default void acknowledged(SourceRecord record) {
    }

    /**
     * The task is stopping (called on Connect's task thread while {@link #poll} may be running on the task's poll
     * thread): give up long work, such as a sort, so that poll returns promptly.
     */
    default void requestStop() {
    }

    @Override
    void close();
}
