package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationException;
import io.covenant.core.attestation.AttestationVerifier;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaleEvidenceIsRejected {
  private static final Instant ISSUED = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration MAX_AGE = Duration.ofMinutes(5);
  private final SimulatedAttestationProvider provider =
      SimulatedAttestationProvider.create(SigningKey.generate(), Clock.fixed(ISSUED, ZoneOffset.UTC));
  private final byte[] reportData = new byte[64];
  private final AttestationEvidence evidence = provider.attest(reportData);

  private AttestationVerifier verifierAt(Instant now) {
    return new AttestationVerifier(Map.of("simulated", provider.simulationRoot()), MAX_AGE, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void evidenceWithinTheMaximumAgeVerifies() {
    assertDoesNotThrow(() -> verifierAt(ISSUED.plus(MAX_AGE)).verify(evidence, reportData));
  }

  @Test
  void evidenceOlderThanTheMaximumAgeFails() {
    AttestationException x = assertThrows(
        AttestationException.class, () -> verifierAt(ISSUED.plus(MAX_AGE).plusMillis(1)).verify(evidence, reportData));
    assertTrue(x.getMessage().contains("fresh evidence"), x.getMessage());
  }

  @Test
  void evidenceDatedInTheFutureFails() {
    AttestationException x = assertThrows(
        AttestationException.class, () -> verifierAt(ISSUED.minus(AttestationVerifier.CLOCK_SKEW).minusSeconds(1)).verify(evidence, reportData));
    assertTrue(x.getMessage().contains("future"), x.getMessage());
  }
}
