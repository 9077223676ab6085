package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationException;
import io.covenant.core.attestation.AttestationVerifier;
import io.covenant.core.attestation.VerifiedAttestation;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.attestation.SnpCertificates;
import io.covenant.core.attestation.SnpTestPlatform;
import io.covenant.core.id.Measurement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * configfs-tsm SEV-SNP evidence goes through core's SNP verifier: a genuine report passes as non-simulated hardware
 * evidence, and evidence whose stated fields differ from its report, or whose report is bound to another request, is
 * refused with the SNP check's own explanation.
 */
class SnpEvidenceIsVerifiedAgainstThePinnedArk {
  private static final String PROVIDER = ConfigfsTsmProvider.NAME_PREFIX + "/sev_guest";
  private final SnpTestPlatform platform = new SnpTestPlatform();
  private final SnpTestPlatform.Report report = new SnpTestPlatform.Report();
  private final SnpCertificates kds = (chip, tcb) -> new SnpCertificates.Chain(platform.vcek, platform.ask);
  private final AttestationVerifier verifier = new AttestationVerifier(
      Map.of(), Duration.ofMinutes(5), SnpTestPlatform.CLOCK, platform.verifier(report.measurement), kds);

  private AttestationEvidence evidence(byte[] measurement, byte[] reportData, byte[] quote) {
    return new AttestationEvidence(PROVIDER, false, new Measurement(HexFormat.of().formatHex(measurement)), reportData,
        SnpTestPlatform.NOW, quote);
  }

  @Test
  void aGenuineReportIsAcceptedAsHardwareEvidence() {
    VerifiedAttestation v = verifier.verify(evidence(report.measurement, report.reportData, platform.signed(report)), report.reportData);
    assertFalse(v.simulated());
    assertEquals(HexFormat.of().formatHex(report.measurement), v.measurement().hex());
  }

  @Test
  void evidenceStatingAnotherMeasurementThanItsReportIsRefused() {
    var x = assertThrows(AttestationException.class, () ->
        verifier.verify(evidence(SnpTestPlatform.filled(48, 0x99), report.reportData, platform.signed(report)), report.reportData));
    assertTrue(x.getMessage().contains("other than its SEV-SNP report's"), x.getMessage());
  }

  @Test
  void aReportBoundToAnotherRequestIsRefusedByName() {
    byte[] other = SnpTestPlatform.filled(64, 0x44);
    var x = assertThrows(AttestationException.class, () ->
        verifier.verify(evidence(report.measurement, report.reportData, platform.signed(report)), other));
    assertTrue(x.getMessage().contains("report_data differs from the expected binding"), x.getMessage());
  }

  @Test
  void withoutAnSnpVerifierHardwareEvidenceIsRefused() {
    var plain = new AttestationVerifier(Map.of(), Duration.ofMinutes(5), SnpTestPlatform.CLOCK);
    var x = assertThrows(AttestationException.class, () ->
        plain.verify(evidence(report.measurement, report.reportData, platform.signed(report)), report.reportData));
    assertTrue(x.getMessage().contains("pinned ARK"), x.getMessage());
  }
}
