package io.onramp.connect.core.sort;

/**
 * Upper bound for the I/O buffers and hand-off blocks a snapshot's sort and diff allocate, one or more per run
 * file and stage, afresh for every dump.
 *
 * <p>Why a bound: G1 (the JVM's default collector) allocates an array of half a heap region or more as a
 * "humongous" object, straight into the old generation, and each such allocation may start a concurrent marking
 * cycle once the heap is past its occupancy threshold, which a sort's arena soon takes it past. With 1 MB buffers,
 * a 1M-row diff at {@code -Xmx256m} (1 MB regions) started about five marking cycles, each taking a GC thread's
 * core for 20-36 ms beside the two the diff runs on. Regions are 1 MB at the least, so below 512 KB an array is
 * never humongous, on any heap.
 */
public final class BufferSizes {

    /** Large enough that a read or write call per buffer costs nothing beside the bytes it moves. */
    public static final int LARGEST = 256 * 1024;

    private BufferSizes() {
    }
}
