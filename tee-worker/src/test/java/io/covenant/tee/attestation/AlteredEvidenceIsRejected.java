package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationException;
import io.covenant.core.attestation.AttestationVerifier;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.Measurement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlteredEvidenceIsRejected {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SimulatedAttestationProvider provider = SimulatedAttestationProvider.create(SigningKey.generate(), clock);
  private final AttestationVerifier verifier =
      new AttestationVerifier(Map.of("simulated", provider.simulationRoot()), Duration.ofMinutes(5), clock);
  private final byte[] reportData = new byte[64];
  private final AttestationEvidence genuine;

  AlteredEvidenceIsRejected() {
    reportData[0] = 1;
    genuine = provider.attest(reportData);
  }

  @Test
  void genuineEvidenceVerifies() {
    assertDoesNotThrow(() -> verifier.verify(genuine, reportData));
  }

  @Test
  void alteredMeasurementFails() {
    Measurement other = new Measurement("ab".repeat(48));
    AttestationEvidence e = new AttestationEvidence(genuine.provider(), true, other, reportData, genuine.issuedAt(), genuine.quote());
    AttestationException x = assertThrows(AttestationException.class, () -> verifier.verify(e, reportData));
    assertTrue(x.getMessage().contains("does not verify"), x.getMessage());
  }

  @Test
  void alteredReportDataFailsEvenWhenTheVerifierIsAskedForTheAlteredValue() {
    byte[] altered = reportData.clone();
    altered[63] ^= 1;
    AttestationEvidence e = new AttestationEvidence(genuine.provider(), true, genuine.measurement(), altered, genuine.issuedAt(), genuine.quote());
    assertThrows(AttestationException.class, () -> verifier.verify(e, altered));
    assertThrows(AttestationException.class, () -> verifier.verify(e, reportData));
  }

  @Test
  void evidenceForOtherReportDataFails() {
    byte[] expected = reportData.clone();
    expected[5] = 9;
    AttestationException x = assertThrows(AttestationException.class, () -> verifier.verify(genuine, expected));
    assertTrue(x.getMessage().contains("different report data"), x.getMessage());
  }

  @Test
  void alteredIssueTimeFails() {
    AttestationEvidence e = new AttestationEvidence(
        genuine.provider(), true, genuine.measurement(), reportData, genuine.issuedAt().plusSeconds(1), genuine.quote());
    assertThrows(AttestationException.class, () -> verifier.verify(e, reportData));
  }

  @Test
  void alteredQuoteFails() {
    byte[] quote = genuine.quote();
    quote[10] ^= 0x40;
    AttestationEvidence e = new AttestationEvidence(genuine.provider(), true, genuine.measurement(), reportData, genuine.issuedAt(), quote);
    assertThrows(AttestationException.class, () -> verifier.verify(e, reportData));
  }
}
