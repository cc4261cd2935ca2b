package io.onramp.connect.core.contract;

import java.util.Set;
import org.apache.avro.Schema;

/**
 * One field of a contract, found anywhere in the record tree.
 *
 * @param path            the field path: names joined by dots; arrays are traversed transparently
 *                        ({@code items.sku}), map values are the segment {@code *} ({@code attrs.*})
 * @param schema          the field's Avro schema (possibly a union with null)
 * @param classifications the field's {@code onramp.classification} values, lower-cased (e.g. {@code pii})
 * @param rules           the field's quality rules
 */
public record FieldContract(String path, Schema schema, Set<String> classifications, FieldRules rules) {

    public boolean isClassified(String classification) {
        return classifications.contains(classification.toLowerCase(java.util.Locale.ROOT));
    }
}
