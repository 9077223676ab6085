package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Any byte the AMD secure processor signed, changed afterwards, breaks the VCEK signature. */
class AlteredSnpReportFailsItsSignature {
  private final SnpTestPlatform platform = new SnpTestPlatform();

  @ParameterizedTest(name = "byte 0x{0} altered")
  @ValueSource(ints = {SnpReport.OFF_POLICY + 2, SnpReport.OFF_VMPL, SnpReport.OFF_REPORT_DATA + 5, SnpReport.OFF_MEASUREMENT + 47,
      SnpReport.OFF_REPORTED_TCB + 6, SnpReport.OFF_CHIP_ID, SnpReport.OFF_SIGNATURE, SnpReport.OFF_SIGNATURE + 72 + 3})
  void alteringAnySignedFieldOrTheSignatureIsRefused(int offset) {
    var r = new SnpTestPlatform.Report();
    byte[] raw = platform.signed(r);
    raw[offset] ^= 0x01;
    var e = assertThrows(SnpAttestationException.class,
        () -> platform.verifier(r.measurement).verify(raw, platform.vcek, platform.ask, r.reportData));
    assertTrue(e.getMessage().contains("signature does not verify"), e.getMessage());
  }
}
