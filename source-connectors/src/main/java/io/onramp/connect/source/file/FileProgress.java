package io.onramp.connect.source.file;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened to one file so far: its counts for the closing log line, and how many of the records sent
 * from it Kafka has acknowledged, so that the file is moved only once all of them are committed.
 */
public final class FileProgress {

    public final SpoolDirectory.InputFile file;
    public final Map<String, Object> partition;
    public long read;
    public long written;
    public long quarantined;
    public long skipped;
    private long sent;
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile boolean readComplete;

    public FileProgress(SpoolDirectory.InputFile file, Map<String, Object> partition) {
        this.file = file;
        this.partition = partition;
    }

    public void recordSent() {
        sent++;
    }

    /** Called from the producer's callback thread. */
    public void recordAcknowledged() {
        acknowledged.incrementAndGet();
    }

    public void readComplete() {
        readComplete = true;
    }

    public boolean allCommitted() {
        return readComplete && acknowledged.get() >= sent;
    }

    public String summary() {
        return "lines read " + read + " = records written " + written + " + quarantined " + quarantined
                + " + skipped " + skipped;
    }
}
