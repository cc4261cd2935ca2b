package io.onramp.connect.source.jdbc;

import java.util.Arrays;
import java.util.Locale;

/** The JDBC source's modes ({@code mode}), named as in Confluent's connector. */
public enum JdbcMode {
    /** The whole table every poll interval. */
    BULK("bulk"),
    /** New rows by a strictly increasing column. */
    INCREMENTING("incrementing"),
    /** New and changed rows by a timestamp column (or the first non-null of several). */
    TIMESTAMP("timestamp"),
    /** New and changed rows by timestamp, ties broken by the incrementing column. */
    TIMESTAMP_INCREMENTING("timestamp+incrementing"),
    /**
     * The whole table every poll interval, diffed by key against the previous read: only inserts, updates and
     * deletes are emitted, as the file source's snapshot mode does with dumps.
     */
    BULK_DIFF("bulk-diff");

    private final String configValue;

    JdbcMode(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public boolean usesIncrementing() {
        return this == INCREMENTING || this == TIMESTAMP_INCREMENTING;
    }

    public boolean usesTimestamp() {
        return this == TIMESTAMP || this == TIMESTAMP_INCREMENTING;
    }

    public boolean incremental() {
        return usesIncrementing() || usesTimestamp();
    }

    public static String[] configValues() {
        return Arrays.stream(values()).map(JdbcMode::configValue).toArray(String[]::new);
    }

    public static JdbcMode fromConfig(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (JdbcMode mode : values()) {
            if (mode.configValue.equals(v)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode " + value);
    }
}
