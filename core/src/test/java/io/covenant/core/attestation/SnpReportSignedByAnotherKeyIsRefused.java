package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SnpReportSignedByAnotherKeyIsRefused {
  private final SnpTestPlatform platform = new SnpTestPlatform();

  @Test
  void aReportSignedWithAKeyOtherThanTheVceksIsRefused() {
    var r = new SnpTestPlatform.Report();
    byte[] raw = SnpTestPlatform.sign(r.unsigned(), SnpTestPlatform.p384().getPrivate());
    var e = assertThrows(SnpAttestationException.class,
        () -> platform.verifier(r.measurement).verify(raw, platform.vcek, platform.ask, r.reportData));
    assertTrue(e.getMessage().contains("signature does not verify under the VCEK"), e.getMessage());
  }
}
