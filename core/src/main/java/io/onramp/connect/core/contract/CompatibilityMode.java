package io.onramp.connect.core.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a product's contract versions must relate, with Schema Registry's meaning:
 * BACKWARD: a consumer on the new version reads data written with the old one;
 * FORWARD: a consumer on the old version reads data written with the new one; FULL: both.
 * Plain modes compare each version with the one before it; TRANSITIVE modes with every earlier one.
 */
public enum CompatibilityMode {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityMode(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    public boolean checksBackward() {
        return backward;
    }

    public boolean checksForward() {
        return forward;
    }

    public boolean transitive() {
        return transitive;
    }

    /** Case-insensitive; accepts {@code -} or {@code _} in the transitive forms. */
    public static CompatibilityMode parse(String text) {
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (CompatibilityMode m : values()) {
            if (m.name().equals(normalized)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown compatibility mode '" + text + "'; expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ".");
    }
}
