package io.covenant.core.attestation;

import io.covenant.core.error.CovenantException;

/**
 * An Intel TDX quote, or the PCK certificate chain that vouches for it, does not prove what it must. The message names
 * the field or certificate that failed and what was expected instead; it never carries key material.
 */
public final class TdxAttestationException extends CovenantException {
  public TdxAttestationException(String message) {
    super(message);
  }

  public TdxAttestationException(String message, Throwable cause) {
    super(message, cause);
  }
}
