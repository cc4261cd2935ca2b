package io.onramp.connect.core.diff;

/**
 * What a diff found, for the one INFO line per snapshot and for tests. Every old row is counted
 * once as deleted, updated or unchanged; every new row once as inserted, read, updated or unchanged.
 */
public record DiffSummary(long oldRows, long newRows, long inserts, long updates, long deletes,
                          long unchanged, long reads) {

    /** What two diffs of disjoint key ranges found together. */
    public DiffSummary plus(DiffSummary other) {
        return new DiffSummary(oldRows + other.oldRows, newRows + other.newRows, inserts + other.inserts,
                updates + other.updates, deletes + other.deletes, unchanged + other.unchanged, reads + other.reads);
    }

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
