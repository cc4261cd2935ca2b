package io.onramp.connect.core.diff;

import java.util.Iterator;

/**
 * The change events of one diff, pulled one at a time, and what the diff found so far: a {@link SnapshotDiff}
 * as it runs, or a {@link SpooledDiff} that ran to its end first.
 */
public interface ChangeStream extends Iterator<ChangeEvent> {

    /** Counts so far; final once {@link #hasNext()} has returned false. */
    DiffSummary summary();
}
