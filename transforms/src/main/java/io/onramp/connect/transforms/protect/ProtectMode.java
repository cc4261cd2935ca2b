package io.onramp.connect.transforms.protect;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@link FieldProtect} does to a field. */
public enum ProtectMode {
    /** Type-preserving: numbers become 0, strings a replacement or the mask character repeated, booleans false, dates the epoch. */
    MASK,
    /** Null when the field is optional, otherwise the type's empty value (0, "", false, no bytes, the epoch). */
    REDACT,
    /** Strings cut to {@code truncate.length} characters. */
    TRUNCATE,
    /** Numbers to a range string ("30-39"), dates to the first day of their month or year, strings to a prefix. */
    GENERALIZE,
    /** Keyed HMAC-SHA256 of the value, as a hex or base64 string: a stable pseudonym. */
    HASH;

    public static ProtectMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown protection mode '" + text + "'; expected one of "
                    + names() + ".");
        }
    }

    public static String names() {
        return Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
