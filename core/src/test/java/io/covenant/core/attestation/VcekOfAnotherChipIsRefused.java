package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * A genuine VCEK, genuinely issued by the ASK, but for another chip: the report it signs must name that chip, so a
 * report claiming this chip's CHIP_ID with another chip's VCEK is refused.
 */
class VcekOfAnotherChipIsRefused {
  private final SnpTestPlatform platform = new SnpTestPlatform();

  @Test
  void theVceksHwIdMustEqualTheReportsChipId() {
    var otherChip = SnpTestPlatform.p384();
    var otherVcek = platform.vcekFor(otherChip.getPublic(), SnpTestPlatform.filled(64, 0x77), SnpTestPlatform.TCB);
    var r = new SnpTestPlatform.Report();
    byte[] raw = SnpTestPlatform.sign(r.unsigned(), otherChip.getPrivate());
    var e = assertThrows(SnpAttestationException.class,
        () -> platform.verifier(r.measurement).verify(raw, otherVcek, platform.ask, r.reportData));
    assertTrue(e.getMessage().contains("chip_id") && e.getMessage().contains("another chip"), e.getMessage());
  }

  @Test
  void aVcekIssuedForAnotherTcbCannotVouchForTheReportedTcb() {
    var r = new SnpTestPlatform.Report();
    r.reportedTcb = new SnpTcb(3, 0, 9, 115);
    var e = assertThrows(SnpAttestationException.class,
        () -> platform.verifier(r.measurement).verify(platform.signed(r), platform.vcek, platform.ask, r.reportData));
    assertTrue(e.getMessage().contains("reported_tcb") && e.getMessage().contains("VCEK certifies"), e.getMessage());
  }
}
