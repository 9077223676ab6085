package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;

/** Produces attestation evidence for the environment this worker runs in. */
public interface AttestationProvider {
  /** The provider name recorded in every piece of evidence, and the key of its trusted root in a verifier. */
  String name();

  /**
   * Evidence binding {@code reportData} (exactly {@link AttestationEvidence#REPORT_DATA_BYTES} bytes, normally a
   * hash of the request being answered) to this environment's measurement.
   */
  AttestationEvidence attest(byte[] reportData);
}
