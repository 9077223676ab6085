package io.covenant.core.event;

import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Decimals on the ledger (privacy budgets and their debits) travel as plain-notation strings: a signed statement must
 * re-encode to the bytes that were signed, and a string cannot be rewritten by a JSON number's canonical form.
 */
final class Decimals {
  private static final Pattern PLAIN = Pattern.compile("(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?");
  private Decimals() {}

  /** {@code d} without trailing zeros and never in exponent form: 1, 0.5, 20. */
  static BigDecimal canonical(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  static String text(BigDecimal d) {
    return canonical(d).toPlainString();
  }

  /** Reads what {@link #text} wrote, refusing anything else (exponents, signs, spaces, non-canonical forms). */
  static BigDecimal parse(String field, String text) {
    if (!PLAIN.matcher(text).matches()) {
      throw new MalformedInputException("field '" + field + "' must be a non-negative decimal in plain notation such as \"0.5\", not \"" + text + "\"");
    }
    return new BigDecimal(text);
  }
}
