package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SnpChainToAnotherRootIsRefused {
  private final SnpTestPlatform pinned = new SnpTestPlatform();
  private final SnpTestPlatform forged = new SnpTestPlatform();

  @Test
  void aCompleteChainUnderAnotherArkIsRefusedAtTheAsk() {
    var r = new SnpTestPlatform.Report();
    r.chipId = forged.chipId;
    var e = assertThrows(SnpAttestationException.class,
        () -> pinned.verifier(r.measurement).verify(forged.signed(r), forged.vcek, forged.ask, r.reportData));
    assertTrue(e.getMessage().contains("ASK certificate does not verify under the pinned ARK"), e.getMessage());
  }

  @Test
  void aVcekNotIssuedByTheAskIsRefused() {
    var r = new SnpTestPlatform.Report();
    var e = assertThrows(SnpAttestationException.class,
        () -> pinned.verifier(r.measurement).verify(forged.signed(r), forged.vcek, pinned.ask, r.reportData));
    assertTrue(e.getMessage().contains("VCEK certificate does not verify under the ASK"), e.getMessage());
  }
}
