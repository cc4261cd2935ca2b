package io.onramp.connect.core;

/**
 * The one quarantine vocabulary of Onramp: every plugin that sets a record aside (the file source's
 * {@code on.bad.record=quarantine}, the contract transforms' {@code on.invalid=quarantine}) writes it to
 * {@code <topic>.quarantine} by default, with these headers. They are part of the public contract with the people
 * who repair and replay quarantined records, and never change meaning. Texts name the field and rule, never a value:
 * the quarantined record itself carries the data.
 */
public final class QuarantineHeaders {

    /** Appended to the record's topic to name its quarantine topic by default. */
    public static final String DEFAULT_TOPIC_SUFFIX = ".quarantine";

    /** Why the record was set aside: a sentence naming the field and rule, string. */
    public static final String REASON = "onramp.quarantine.reason";
    /** The rule broken (e.g. {@code min}, {@code pattern}, {@code type}), string; set by the contract transforms. */
    public static final String RULE = "onramp.quarantine.rule";
    /** The path of the field at fault, string; set by the contract transforms. */
    public static final String FIELD = "onramp.quarantine.field";
    /** The topic the record was meant for, string. */
    public static final String SOURCE_TOPIC = "onramp.quarantine.source.topic";

    private QuarantineHeaders() {
    }
}
