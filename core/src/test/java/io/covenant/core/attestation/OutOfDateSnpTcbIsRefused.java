package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A genuine chip with genuinely old firmware: its VCEK matches, the signature verifies, and it is still refused. */
class OutOfDateSnpTcbIsRefused {
  private final SnpTestPlatform platform = new SnpTestPlatform();

  @Test
  void reportedSnpSvnBelowTheMinimumIsNamed() {
    var r = new SnpTestPlatform.Report();
    r.reportedTcb = new SnpTcb(3, 0, 3, 115);
    var oldVcek = platform.vcekFor(platform.vcekKeys.getPublic(), platform.chipId, r.reportedTcb);
    var policy = new SnpPolicy(platform.ark, Set.of(SnpTestPlatform.measurementHex(r.measurement)), new SnpTcb(3, 0, 8, 115), false);
    var e = assertThrows(SnpAttestationException.class,
        () -> new SnpVerifier(policy, SnpTestPlatform.CLOCK).verify(platform.signed(r), oldVcek, platform.ask, r.reportData));
    assertTrue(e.getMessage().contains("reported_tcb.snp 3 is below the minimum 8"), e.getMessage());
  }

  @Test
  void oldMicrocodeIsNamedToo() {
    var r = new SnpTestPlatform.Report();
    r.reportedTcb = new SnpTcb(3, 0, 8, 100);
    var oldVcek = platform.vcekFor(platform.vcekKeys.getPublic(), platform.chipId, r.reportedTcb);
    var e = assertThrows(SnpAttestationException.class,
        () -> platform.verifier(r.measurement).verify(platform.signed(r), oldVcek, platform.ask, r.reportData));
    assertTrue(e.getMessage().contains("reported_tcb.microcode 100 is below the minimum 115"), e.getMessage());
  }
}
