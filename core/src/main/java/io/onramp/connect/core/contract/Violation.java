package io.onramp.connect.core.contract;

/**
 * Why a record breaks its contract. The reason never contains the offending value, which may be
 * personal data; it names the field, the rule and the rule's limit.
 *
 * @param field  the field path ({@code customer.email}; arrays traversed, map values {@code *})
 * @param rule   {@code type}, {@code required}, {@code min}, {@code max}, {@code pattern}, {@code enum} or {@code maxLength}
 * @param reason a sentence for logs and headers
 */
public record Violation(String field, String rule, String reason) {
}
