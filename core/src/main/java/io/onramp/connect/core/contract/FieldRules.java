package io.onramp.connect.core.contract;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The quality rules of one contract field, read from its {@code onramp.rules} property.
 * Every rule is optional; {@code null} means "not constrained".
 *
 * @param required  the value must be present: not null, and for strings not empty
 * @param min       numbers must be greater than or equal to this
 * @param max       numbers must be less than or equal to this
 * @param pattern   strings must match this regular expression in full
 * @param allowed   the value's string form must be one of these
 * @param maxLength strings (characters), bytes and arrays (elements) must not be longer
 */
public record FieldRules(boolean required, BigDecimal min, BigDecimal max, Pattern pattern,
                         List<String> allowed, Integer maxLength) {

    public static final FieldRules NONE = new FieldRules(false, null, null, null, null, null);

    public boolean isEmpty() {
        return !required && min == null && max == null && pattern == null && allowed == null && maxLength == null;
    }

    /** Parses the {@code onramp.rules} object of field {@code path}; unknown rule names are an error. */
    static FieldRules parse(String path, Object rules) {
        if (rules == null) {
            return NONE;
        }
        if (!(rules instanceof Map<?, ?> map)) {
            throw new ContractException("Field '" + path + "' has a '" + Contract.FIELD_RULES
                    + "' property that is not a JSON object.");
        }
        boolean required = false;
        BigDecimal min = null;
        BigDecimal max = null;
        Pattern pattern = null;
        List<String> allowed = null;
        Integer maxLength = null;
        for (var e : map.entrySet()) {
            String rule = String.valueOf(e.getKey());
            Object v = e.getValue();
            switch (rule) {
                case "required" -> required = Boolean.TRUE.equals(v) || "true".equals(String.valueOf(v));
                case "min" -> min = number(path, rule, v);
                case "max" -> max = number(path, rule, v);
                case "maxLength" -> maxLength = number(path, rule, v).intValueExact();
                case "pattern" -> pattern = compile(path, v);
                case "enum" -> {
                    if (!(v instanceof List<?> list)) {
                        throw new ContractException("Rule 'enum' of field '" + path + "' must be a JSON array.");
                    }
                    allowed = list.stream().map(String::valueOf).toList();
                }
                default -> throw new ContractException("Field '" + path + "' has an unknown rule '" + rule
                        + "'; known rules are required, min, max, pattern, enum, maxLength.");
            }
        }
        return new FieldRules(required, min, max, pattern, allowed, maxLength);
    }

    private static BigDecimal number(String path, String rule, Object v) {
        try {
            return new BigDecimal(String.valueOf(v));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ContractException("Rule '" + rule + "' of field '" + path + "' must be a number.");
        }
    }

    private static Pattern compile(String path, Object v) {
        try {
            return Pattern.compile(String.valueOf(v));
        } catch (PatternSyntaxException e) {
            throw new ContractException("Rule 'pattern' of field '" + path + "' is not a valid regular expression: "
                    + e.getDescription() + ".");
        }
    }
}
