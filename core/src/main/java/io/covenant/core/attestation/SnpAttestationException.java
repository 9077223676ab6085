package io.covenant.core.attestation;

import io.covenant.core.error.CovenantException;

/**
 * An AMD SEV-SNP attestation report, or the certificate chain that vouches for it, does not prove what it must. The
 * message names the field or certificate that failed and what was expected instead; it never carries key material.
 */
public final class SnpAttestationException extends CovenantException {
  public SnpAttestationException(String message) {
    super(message);
  }

  public SnpAttestationException(String message, Throwable cause) {
    super(message, cause);
  }
}
