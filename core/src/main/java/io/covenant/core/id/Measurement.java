package io.covenant.core.id;

import io.covenant.core.error.MalformedInputException;
import java.util.regex.Pattern;

/**
 * The launch measurement of an enclave or confidential VM (SEV-SNP MEASUREMENT, TDX MRTD, or our simulation's
 * code hash), as lower-case hex. Owners allow-list these in their policies.
 */
public record Measurement(String hex) {
  private static final Pattern FORM = Pattern.compile("[0-9a-f]{64}|[0-9a-f]{96}");

  public Measurement {
    if (hex == null || !FORM.matcher(hex).matches()) {
      throw new MalformedInputException("measurement '" + hex + "' is not valid: expected 64 or 96 lower-case hex digits");
    }
  }

  /** First 12 hex digits, for tables. */
  public String shortForm() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return hex;
  }
}
