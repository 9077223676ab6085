package io.covenant.core.attestation;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.id.Measurement;

/** Evidence that passed {@link AttestationVerifier}: the measurement it proves, how it was proven, and the evidence itself. */
public record VerifiedAttestation(Measurement measurement, boolean simulated, String provider, AttestationEvidence evidence) {
  /** The evidence's identifier under the consortium's suite: what ATTESTATION_VERIFIED records. */
  public Digest evidenceHash(CryptoSuite suite) {
    return evidence.hash(suite);
  }
}
