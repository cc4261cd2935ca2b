package io.onramp.connect.source.file;

import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/** How the task turns files into records: one event per line (append) or the diff of full dumps (snapshot). */
public interface SourceMode {

    /** The next records, or null when there is nothing to read now. */
    List<SourceRecord> poll();

    /** Kafka acknowledged the record (producer callback thread). */
    void acknowledged(SourceRecord record);

    /**
     * The task is stopping: give up long work in progress, such as a snapshot sort, so that {@link #poll()} (running
     * on the task's poll thread) returns promptly. Called from the task's {@code stop()} on Connect's task thread.
     */
    default void requestStop() {
    }

    void close();
}
