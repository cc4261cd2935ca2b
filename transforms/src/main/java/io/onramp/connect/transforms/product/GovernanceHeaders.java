package io.onramp.connect.transforms.product;

/**
 * The names of the governance headers Onramp's product transforms write, all under the {@code onramp.} prefix
 * (quarantine headers: {@link io.onramp.connect.core.QuarantineHeaders}). They are part of the public contract
 * with consumers and never change meaning.
 */
public final class GovernanceHeaders {

    /** {@code <domain>.<product>}, string. */
    public static final String PRODUCT = "onramp.product";
    /** The contract version (the N of v&lt;N&gt;.avsc), int32. */
    public static final String CONTRACT_VERSION = "onramp.contract.version";
    /** CRC-64-AVRO fingerprint of the contract's canonical form, 16 hex digits. */
    public static final String CONTRACT_FINGERPRINT = "onramp.contract.fingerprint";
    /** The owning team, string (omitted when the contract names none). */
    public static final String OWNER = "onramp.owner";
    /** The classifications present in the record (e.g. {@code pii,internal}), or {@code unclassified}. */
    public static final String CLASSIFICATION = "onramp.classification";
    /** The system the data was captured from, string (omitted when not configured). */
    public static final String SOURCE_SYSTEM = "onramp.source.system";
    /** Capture time, epoch milliseconds, int64. */
    public static final String CAPTURE_TS = "onramp.capture.ts";
    /** The connector that published the record, string (omitted when not configured). */
    public static final String CONNECTOR = "onramp.connector";
    /** {@code true} on records of a contract version in its upgrade window. */
    public static final String DEPRECATED = "onramp.deprecated";
    /** The ISO date ({@code yyyy-MM-dd}) a deprecated version is retired. */
    public static final String SUNSET = "onramp.sunset";

    private GovernanceHeaders() {
    }
}
