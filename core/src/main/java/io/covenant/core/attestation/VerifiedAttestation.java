package io.covenant.core.attestation;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.Measurement;

/** Evidence that passed {@link AttestationVerifier}: the measurement it proves and how it was proven. */
public record VerifiedAttestation(Measurement measurement, boolean simulated, String provider, Digest evidenceHash) {}
