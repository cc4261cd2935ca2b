package io.onramp.connect.core.diff;

/**
 * What a diff found, for the one INFO line per snapshot and for tests. Every old row is counted
 * once as deleted, updated or unchanged; every new row once as inserted, read, updated or unchanged.
 */
public record DiffSummary(long oldRows, long newRows, long inserts, long updates, long deletes,
                          long unchanged, long reads) {

    /** Events emitted: everything but unchanged rows. */
    public long events() {
        return inserts + updates + deletes + reads;
    }

    @Override
    public String toString() {
        return "old=" + oldRows + " new=" + newRows + " inserts=" + inserts + " updates=" + updates
                + " deletes=" + deletes + " unchanged=" + unchanged + " reads=" + reads;
    }
}
