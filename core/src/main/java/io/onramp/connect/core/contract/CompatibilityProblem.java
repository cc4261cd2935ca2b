package io.onramp.connect.core.contract;

/**
 * One incompatibility between two versions of a product.
 *
 * @param productId  {@code <domain>.<product>}
 * @param version    the newer version, checked
 * @param against    the older version it was checked against
 * @param mode       the compatibility mode that was violated
 * @param direction  {@code backward} (the newer cannot read the older's data) or {@code forward}
 *                   (the older cannot read the newer's data)
 * @param field      the offending field path (or the schema location when no field applies)
 * @param detail     Avro's description of the incompatibility
 */
public record CompatibilityProblem(String productId, int version, int against, CompatibilityMode mode,
                                   String direction, String field, String detail) {

    /** A sentence naming both versions and the field. */
    public String describe() {
        return productId + " v" + version + " is not " + direction + " compatible with v" + against
                + " (mode " + mode + "): field '" + field + "': " + detail;
    }
}
