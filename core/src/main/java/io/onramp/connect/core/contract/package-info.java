/**
 * Data-product contracts: plain Avro schema files ({@code .avsc}) carrying product metadata as extra
 * schema properties, laid out {@code <dir>/<domain>/<product>/v<N>.avsc}, with compatibility
 * checks across versions (Avro's own {@link org.apache.avro.SchemaCompatibility}) and record
 * validation against the per-field quality rules. See {@link io.onramp.connect.core.contract.Contract}
 * for the property names.
 */
package io.onramp.connect.core.contract;
