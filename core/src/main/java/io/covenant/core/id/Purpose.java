package io.covenant.core.id;

import io.covenant.core.error.MalformedInputException;
import java.util.regex.Pattern;

/** Why a consumer wants a computation: {@code risk-model}, {@code research}, {@code ubi-scoring}, ... */
public record Purpose(String value) {
  private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  public Purpose {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new MalformedInputException("purpose '" + value + "' is not valid: use lower-case words joined by '-', e.g. risk-model");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
