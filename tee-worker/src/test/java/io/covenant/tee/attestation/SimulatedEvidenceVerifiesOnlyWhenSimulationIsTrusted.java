package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationException;
import io.covenant.core.attestation.AttestationVerifier;
import io.covenant.core.attestation.VerifiedAttestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedEvidenceVerifiesOnlyWhenSimulationIsTrusted {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SigningKey simulationKey = SigningKey.generate();
  private final SimulatedAttestationProvider provider = SimulatedAttestationProvider.create(simulationKey, clock);
  private final byte[] reportData = filled(7);

  private static byte[] filled(int b) {
    byte[] r = new byte[64];
    Arrays.fill(r, (byte) b);
    return r;
  }

  private AttestationVerifier verifierTrusting(Map<String, VerifyingKey> roots) {
    return new AttestationVerifier(roots, Duration.ofMinutes(5), clock);
  }

  @Test
  void everyRecordIsLabelledSimulatedAndCarriesTheCodeMeasurement() {
    AttestationEvidence e = provider.attest(reportData);
    assertTrue(e.simulated());
    assertEquals("simulated", e.provider());
    assertEquals(SimulatedAttestationProvider.codeMeasurement(), e.measurement());
    assertEquals(96, e.measurement().hex().length(), "SHA-384");
    assertTrue(e.toJson().bool("simulated"));
    assertTrue(e.toString().contains("SIMULATED"));
  }

  @Test
  void verifiesWhenTheInstallationsSimulationKeyIsTrusted() {
    AttestationEvidence e = provider.attest(reportData);
    VerifiedAttestation v = verifierTrusting(Map.of("simulated", provider.simulationRoot())).verify(e, reportData);
    assertTrue(v.simulated());
    assertEquals("simulated", v.provider());
    assertEquals(e.measurement(), v.measurement());
    assertEquals(e.hash(io.covenant.core.crypto.CryptoSuite.INTL), v.evidenceHash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  @Test
  void isRefusedWhenSimulationIsNotTrusted() {
    AttestationEvidence e = provider.attest(reportData);
    AttestationException x = assertThrows(AttestationException.class, () -> verifierTrusting(Map.of()).verify(e, reportData));
    assertTrue(x.getMessage().contains("SIMULATED"), x.getMessage());
  }

  @Test
  void isRefusedWhenAnotherInstallationsSimulationKeyIsTrusted() {
    AttestationEvidence e = provider.attest(reportData);
    AttestationVerifier other = verifierTrusting(Map.of("simulated", SigningKey.generate().verifyingKey()));
    AttestationException x = assertThrows(AttestationException.class, () -> other.verify(e, reportData));
    assertTrue(x.getMessage().contains("does not verify"), x.getMessage());
  }

  @Test
  void survivesJsonButCannotShedItsSimulatedLabel() {
    AttestationEvidence e = provider.attest(reportData);
    AttestationEvidence back = AttestationEvidence.fromJson(Json.parseObject(e.toJson().encode()));
    assertEquals(e, back);
    assertEquals(e.hash(io.covenant.core.crypto.CryptoSuite.INTL), back.hash(io.covenant.core.crypto.CryptoSuite.INTL));

    Map<String, Json> members = new HashMap<>(e.toJson().members());
    members.put("simulated", Json.of(false));
    AttestationEvidence relabelled = AttestationEvidence.fromJson(new Json.JObject(members));
    AttestationVerifier trusting = verifierTrusting(Map.of("simulated", provider.simulationRoot()));
    AttestationException x = assertThrows(AttestationException.class, () -> trusting.verify(relabelled, reportData));
    assertTrue(x.getMessage().contains("altered"), x.getMessage());
  }

  @Test
  void hardwareQuotesAreRefusedWithAnExplanation() {
    AttestationEvidence e = provider.attest(reportData);
    AttestationEvidence hw = new AttestationEvidence("configfs-tsm/sev_guest", false, e.measurement(), reportData, NOW, e.quote());
    AttestationVerifier trusting = verifierTrusting(Map.of("configfs-tsm/sev_guest", provider.simulationRoot()));
    AttestationException x = assertThrows(AttestationException.class, () -> trusting.verify(hw, reportData));
    assertTrue(x.getMessage().contains("cannot check"), x.getMessage());
  }
}
