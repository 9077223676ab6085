package io.covenant.core.schema;

import io.covenant.core.error.MalformedInputException;
import java.util.Locale;

/** How much a column reveals about a person; policies and previews use it. */
public enum Sensitivity {
  /** Names a person directly (a patient pseudonym, a VIN). */
  IDENTIFIER,
  /** Narrows down a person in combination (age, sex, postcode, dates). */
  QUASI_IDENTIFIER,
  /** The protected value itself (diagnosis, claim cost, driving behaviour). */
  SENSITIVE,
  /** Safe to show. */
  PUBLIC;

  public static Sensitivity parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (RuntimeException e) {
      throw new MalformedInputException("sensitivity '" + s + "' is not known: use identifier, quasi-identifier, sensitive or public");
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
