package io.onramp.connect.core.sort;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls another {@link EncodedRowIterator} on a thread of its own, a few blocks of records ahead of the
 * consumer: two stages of a snapshot (reading and typing a dump, then sorting it; merging sorted runs, then
 * diffing them) run on two cores instead of one. The records come out in the source's order, byte for byte,
 * so whatever follows sees exactly what it would have seen from the source itself.
 *
 * <p>What the source throws reaches the consumer after the records that came before it, from
 * {@link #advanceEncoded()}, as the same exception object. Heap is bounded: at most {@link #BLOCKS} blocks of
 * {@link #BLOCK_BYTES} each (a block goes beyond that only for a record larger than it).
 *
 * <p>{@link #close()} stops the thread and waits for it; the caller closes the source afterwards (it was
 * used on the other thread until then). The source must not be used by anyone else meanwhile.
 */
public final class ReadAheadRows extends AbstractEncodedRows {

    private static final Logger log = LoggerFactory.getLogger(ReadAheadRows.class);
    static final int BLOCK_BYTES = BufferSizes.LARGEST;
    static final int BLOCKS = 16;
    private static final long MIN_INPUT_BYTES = 8L << 20;
    private static final long JOIN_MILLIS = 10_000;

    private final BlockingQueue<Block> filled = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final BlockingQueue<Block> free = new ArrayBlockingQueue<>(BLOCKS);
    private final RowCodec.Fields scanned = new RowCodec.Fields();
    private final int blockBytes;
    private final Thread thread;
    /** Blocks made so far, by the reading thread: only as many as it gets ahead, so a small input costs little. */
    private int blocks;
    private volatile boolean closed;
    private Block current;
    private int next;

    private ReadAheadRows(EncodedRowIterator source, String threadName, int blockBytes) {
        this.blockBytes = blockBytes;
        this.thread = new Thread(() -> produce(source), threadName);
        thread.setDaemon(true);
    }

    /**
     * Starts reading {@code source} ahead on a new thread named {@code threadName}.
     */
    public static ReadAheadRows start(EncodedRowIterator source, String threadName) {
        return start(source, threadName, BLOCK_BYTES);
    }

    static ReadAheadRows start(EncodedRowIterator source, String threadName, int blockBytes) {
        var rows = new ReadAheadRows(source, threadName, blockBytes);
        rows.thread.start();
        return rows;
    }

    /**
     * Whether reading {@code inputBytes} ahead can pay: there is a second processor to run it, and enough input
     * that the thread and its hand-offs cost little beside it. The system property
     * {@code onramp.snapshot.readAhead=false} turns it off (to compare, or on a worker whose other cores are busy).
     */
    public static boolean worthIt(long inputBytes) {
        return inputBytes >= MIN_INPUT_BYTES && Runtime.getRuntime().availableProcessors() > 1
                && !"false".equals(System.getProperty("onramp.snapshot.readAhead"));
    }

    private void produce(EncodedRowIterator source) {
        Block block = null;
        try {
            block = freeBlock();
            while (!closed && source.advanceEncoded()) {
                int length = source.encodedLength();
                if (!block.fits(length) && block.count > 0) {
                    filled.put(block);
                    block = freeBlock();
                }
                block.add(source.encodedArray(), source.encodedOffset(), length);
            }
            block.last = true;
            filled.put(block);
        } catch (InterruptedException e) {
            // closed by the consumer: nobody waits for more
        } catch (RuntimeException | Error e) {
            if (closed) {
                return; // the consumer has gone; what failed after that is nobody's concern
            }
            Block failed = block != null ? block : new Block(0);
            failed.failure = e;
            failed.last = true;
            try {
                filled.put(failed);
            } catch (InterruptedException interrupted) {
                // closed meanwhile
            }
        }
    }

    private Block freeBlock() throws InterruptedException {
        Block block = free.poll();
        if (block != null) {
            return block;
        }
        if (blocks < BLOCKS) {
            blocks++;
            return new Block(blockBytes);
        }
        return free.take();
    }

    @Override
    protected boolean fetch() {
        while (current == null || next >= current.count) {
            if (current != null) {
                if (current.last) {
                    Throwable failure = current.failure;
                    current.count = 0; // stays last: every later call ends here again
                    if (failure != null) {
                        current.failure = null;
                        throwUnchecked(failure);
                    }
                    return false;
                }
                current.clear();
                free.add(current);
                current = null;
            }
            try {
                current = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for rows read ahead", e);
            }
            next = 0;
        }
        Block block = current;
        int start = block.ends[next] - block.lengths[next];
        int end = block.ends[next];
        next++;
        scanned.scan(block.data, start, end);
        array = block.data;
        offset = start;
        length = end - start;
        fields = scanned;
        return true;
    }

    private static void throwUnchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw (Error) failure;
    }

    /** Stops reading ahead and waits for the thread to end; then the caller may close the source. */
    @Override
    public void close() {
        end();
        closed = true;
        thread.interrupt();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // The source is stuck in a read that ignores interrupts; it ends when the caller closes the source.
            log.warn("Thread {} did not end within {} ms of being stopped", thread.getName(), JOIN_MILLIS);
        }
        filled.clear();
        free.clear();
        current = null;
    }

    /** Records back to back in one array, each located by where it ends and how long it is. */
    private static final class Block {
        private static final int FIRST_BYTES = 64 * 1024;
        private final int capacity;
        byte[] data;
        int used;
        int[] ends = new int[1024];
        int[] lengths = new int[1024];
        int count;
        boolean last;
        Throwable failure;

        /** Starts small and grows to {@code capacity} as it fills, so a small input costs little. */
        Block(int capacity) {
            this.capacity = capacity;
            this.data = new byte[Math.min(capacity, FIRST_BYTES)];
        }

        boolean fits(int length) {
            return used + length <= Math.max(capacity, data.length);
        }

        void add(byte[] b, int off, int len) {
            if (used + len > data.length) {
                // Up to the capacity, or beyond it for one record larger than a block.
                data = Arrays.copyOf(data, Math.max(used + len, Math.min(capacity, data.length * 2)));
            }
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            System.arraycopy(b, off, data, used, len);
            used += len;
            ends[count] = used;
            lengths[count] = len;
            count++;
        }

        void clear() {
            used = 0;
            count = 0;
        }
    }
}
