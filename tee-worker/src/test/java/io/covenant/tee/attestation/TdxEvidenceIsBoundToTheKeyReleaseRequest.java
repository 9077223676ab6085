package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationException;
import io.covenant.core.attestation.AttestationVerifier;
import io.covenant.core.attestation.VerifiedAttestation;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.attestation.SnpTestPlatform;
import io.covenant.core.attestation.TdxTestPlatform;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * configfs-tsm TDX evidence goes through core's TDX verifier, and its REPORT_DATA must be the key-release request's
 * binding of job, dataset and enclave key: a genuine quote for this request passes as non-simulated hardware evidence;
 * a quote made for another enclave key (an earlier session's, or an attacker's) is refused by name.
 */
class TdxEvidenceIsBoundToTheKeyReleaseRequest {
  private static final String PROVIDER = ConfigfsTsmProvider.NAME_PREFIX + "/tdx_guest";
  private final TdxTestPlatform platform = new TdxTestPlatform();
  private final JobId job = JobId.random();
  private final DatasetVersion dataset = DatasetVersion.parse("hospital-a/claims@3");
  private final HpkeKeyPair enclaveKey = HpkeKeyPair.generate();
  private final byte[] binding = KeyReleaseRequest.reportData(job, dataset, enclaveKey.publicKey());
  private final TdxTestPlatform.Quote quote = platform.quote();
  private final AttestationVerifier verifier =
      new AttestationVerifier(Map.of(), Duration.ofMinutes(5), SnpTestPlatform.CLOCK, null, null, platform.verifier(quote.mrTd));

  private AttestationEvidence evidence(byte[] measurement, byte[] raw) {
    var parsed = HardwareReport.parseTdx(raw);
    return new AttestationEvidence(PROVIDER, false, new Measurement(HexFormat.of().formatHex(measurement)), parsed.reportData(),
        SnpTestPlatform.NOW, raw);
  }

  @Test
  void aQuoteForThisRequestIsAcceptedAsHardwareEvidence() {
    quote.reportData = binding;
    VerifiedAttestation v = verifier.verify(evidence(quote.mrTd, quote.signed()), binding);
    assertFalse(v.simulated());
    assertEquals(HexFormat.of().formatHex(quote.mrTd), v.measurement().hex());
  }

  @Test
  void aQuoteForAnotherEnclaveKeyIsRefused() {
    quote.reportData = KeyReleaseRequest.reportData(job, dataset, HpkeKeyPair.generate().publicKey());
    var x = assertThrows(AttestationException.class, () -> verifier.verify(evidence(quote.mrTd, quote.signed()), binding));
    assertTrue(x.getMessage().contains("REPORT_DATA differs from the expected binding"), x.getMessage());
  }

  @Test
  void evidenceStatingAnotherMeasurementThanItsMrtdIsRefused() {
    quote.reportData = binding;
    var x = assertThrows(AttestationException.class,
        () -> verifier.verify(evidence(SnpTestPlatform.filled(48, 0x99), quote.signed()), binding));
    assertTrue(x.getMessage().contains("other than its TDX quote's MRTD"), x.getMessage());
  }

  @Test
  void withoutATdxVerifierTdxEvidenceIsRefused() {
    quote.reportData = binding;
    var plain = new AttestationVerifier(Map.of(), Duration.ofMinutes(5), SnpTestPlatform.CLOCK);
    var x = assertThrows(AttestationException.class, () -> plain.verify(evidence(quote.mrTd, quote.signed()), binding));
    assertTrue(x.getMessage().contains("TDX verifier with the pinned Intel SGX Root CA"), x.getMessage());
  }
}
