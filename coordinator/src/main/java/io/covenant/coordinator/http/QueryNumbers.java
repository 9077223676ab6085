package io.covenant.coordinator.http;

import io.covenant.core.error.MalformedInputException;

/**
 * Numeric query parameters that have a default: read here rather than by Micronaut's binding, which takes an empty
 * value ({@code ?from=}) for an absent one. A value that was given must be a whole number.
 */
final class QueryNumbers {
  private QueryNumbers() {}

  /** {@code given} as a whole number, {@code absent} when the parameter was not sent at all; 400 for anything else. */
  static long wholeNumber(String name, String given, long absent) {
    if (given == null) return absent;
    try {
      return Long.parseLong(given.strip());
    } catch (NumberFormatException e) {
      throw new MalformedInputException("parameter '" + name + "' could not be read: '" + given + "' is not a whole number");
    }
  }
}
