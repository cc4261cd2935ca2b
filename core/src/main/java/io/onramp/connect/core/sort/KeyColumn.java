package io.onramp.connect.core.sort;

import java.util.Objects;

/**
 * A key column by name and how its values are ordered. Ordering matters twice: the sorter must
 * put rows in this order, and the diff's merge join must agree with it on both snapshots.
 */
public record KeyColumn(String name, Order order) {

    /** How key values compare. Nulls sort first in both orders. */
    public enum Order {
        /** {@link String#compareTo}: UTF-16 code unit order, locale independent, stable across JVMs. */
        TEXT,
        /**
         * Decimal numbers ({@code -12}, {@code 007}, {@code 3.50}); numerically equal values are
         * equal keys ({@code 7} and {@code 007} are the same row). A value that is not a number
         * is an error, not silently ordered somewhere.
         */
        NUMERIC
    }

    public KeyColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(order, "order");
    }

    public static KeyColumn text(String name) {
        return new KeyColumn(name, Order.TEXT);
    }

    public static KeyColumn numeric(String name) {
        return new KeyColumn(name, Order.NUMERIC);
    }
}
