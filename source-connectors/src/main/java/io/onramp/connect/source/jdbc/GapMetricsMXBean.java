package io.onramp.connect.source.jdbc;

/** The attributes of the id gap tracking of one table (or custom query) of a JDBC source task ({@link GapMetrics}). */
public interface GapMetricsMXBean {
    /** Gaps looked for now. */
    long getGapsOpen();

    /** Gaps given up because more than the tracker's capacity were open (a row filling them later is not read). */
    long getGapsDroppedForCapacity();

    /** The ids in those gaps. */
    long getIdsDroppedForCapacity();

    /** Gaps given up after incrementing.gap.timeout.ms (taken for rollbacks or deleted rows). */
    long getGapsTimedOut();

    /** The ids in those gaps. */
    long getIdsTimedOut();
}
