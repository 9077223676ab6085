package io.covenant.core.attestation;

import io.covenant.core.error.CovenantException;

/**
 * Attestation evidence could not be produced, or does not prove what it claims: an untrusted provider, a quote that
 * does not verify, evidence bound to another request, or evidence too old to rely on. The message says which.
 */
public class AttestationException extends CovenantException {
  public AttestationException(String message) {
    super(message);
  }

  public AttestationException(String message, Throwable cause) {
    super(message, cause);
  }
}
