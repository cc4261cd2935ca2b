package io.onramp.connect.source.snapshot;

/**
 * The config keys every source that diffs snapshots shares (the file source's snapshot mode, the JDBC source's
 * bulk-diff mode): the same names and values, so a user moving a table from dumps to a database keeps them.
 */
public final class SnapshotKeys {

    public static final String KEY_FIELDS = "snapshot.key.fields";
    public static final String IGNORE_FIELDS = "snapshot.ignore.fields";
    public static final String ARCHIVE_PATH = "snapshot.archive.path";
    public static final String SORT_MEMORY_BYTES = "snapshot.sort.memory.bytes";
    public static final String OUTPUT_FORMAT = "output.format";
    /** {@link #OUTPUT_FORMAT}'s values. */
    public static final String ENVELOPE = "envelope";
    public static final String STATE = "state";
    public static final long DEFAULT_SORT_MEMORY_BYTES = 64L * 1024 * 1024;

    private SnapshotKeys() {
    }
}
