package io.onramp.connect.core.jdbc;

import java.util.Locale;

/** How NUMERIC/DECIMAL columns map to Connect types ({@code numeric.mapping}, named as in Confluent's connector). */
public enum NumericMapping {
    /** Always Connect's Decimal with the column's scale (exact). */
    NONE,
    /** Scale 0 and precision up to 18 → the smallest integer type that holds it; otherwise Decimal. */
    PRECISION_ONLY,
    /** Like precision_only, and precision up to 18 with a positive scale → FLOAT64 (inexact). */
    BEST_FIT;

    /** The config value, e.g. {@code best_fit}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NumericMapping fromConfig(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
