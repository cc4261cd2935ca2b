package io.onramp.connect.core.sort;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The large arrays of a sort buffer that reads a part of a large input (arena, index, sort scratch), kept after a
 * sort for the next one of the same size: a file source sorts dump after dump with the same budget, and allocating
 * the arrays afresh each time (tens of MB, "humongous" for G1) made the collector start a concurrent marking cycle
 * per dump, about 9 % of a 1M-row diff's time measured (see BufferSizes), besides zeroing them.
 *
 * <p>Kept through soft references only: the collector clears them before the heap runs out, and clears one unused
 * for a while (by default about a second per free MB of heap), so an idle worker does not keep them for long. At
 * most {@link #KEPT} are kept, the oldest dropped first.
 */
final class SortMemory {

    /** One sort in two parts' worth: about 1.4 times its budget (arena, index and scratch), whoever sorts next. */
    private static final int KEPT = 2;
    private static final ArrayDeque<SoftReference<SortMemory>> POOL = new ArrayDeque<>();

    final byte[] arena;
    final long[] prefixes;
    final int[] offsets;
    final long[] keys;
    final long[] keys2;
    final int[] indexes;
    final int[] indexes2;

    SortMemory(byte[] arena, long[] prefixes, int[] offsets, long[] keys, long[] keys2, int[] indexes,
               int[] indexes2) {
        this.arena = arena;
        this.prefixes = prefixes;
        this.offsets = offsets;
        this.keys = keys;
        this.keys2 = keys2;
        this.indexes = indexes;
        this.indexes2 = indexes2;
    }

    /** Arrays kept with an arena of exactly {@code arenaBytes}, now the caller's; null when none is kept. */
    static synchronized SortMemory take(int arenaBytes) {
        for (Iterator<SoftReference<SortMemory>> it = POOL.iterator(); it.hasNext(); ) {
            SortMemory memory = it.next().get();
            if (memory == null) {
                it.remove();
            } else if (memory.arena.length == arenaBytes) {
                it.remove();
                return memory;
            }
        }
        return null;
    }

    /** Keeps {@code memory} for a later {@link #take}; the caller must not use its arrays any more. */
    static synchronized void keep(SortMemory memory) {
        POOL.removeIf(reference -> reference.get() == null);
        while (POOL.size() >= KEPT) {
            POOL.removeFirst();
        }
        POOL.addLast(new SoftReference<>(memory));
    }
}
