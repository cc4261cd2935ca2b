package io.onramp.connect.source.file;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened to one file so far: its counts for the closing log line, and how many of the records sent
 * from it Kafka has acknowledged, so that the file is moved only once all of them are committed.
 */
final class FileProgress {

    final SpoolDirectory.InputFile file;
    final Map<String, Object> partition;
    long read;
    long written;
    long quarantined;
    long skipped;
    private long sent;
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile boolean readComplete;

    FileProgress(SpoolDirectory.InputFile file, Map<String, Object> partition) {
        this.file = file;
        this.partition = partition;
    }

    void recordSent() {
        sent++;
    }

    /** Called from the producer's callback thread. */
    void recordAcknowledged() {
        acknowledged.incrementAndGet();
    }

    void readComplete() {
        readComplete = true;
    }

    boolean allCommitted() {
        return readComplete && acknowledged.get() >= sent;
    }

    String summary() {
        return "lines read " + read + " = records written " + written + " + quarantined " + quarantined
                + " + skipped " + skipped;
    }
}
