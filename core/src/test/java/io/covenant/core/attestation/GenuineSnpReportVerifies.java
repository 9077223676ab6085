package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class GenuineSnpReportVerifies {
  private final SnpTestPlatform platform = new SnpTestPlatform();

  @Test
  void aSignedReportWithAMatchingChainPassesAndItsFieldsAreReadAtTheSpecOffsets() {
    var r = new SnpTestPlatform.Report();
    SnpReport report = platform.verifier(r.measurement).verify(platform.signed(r), platform.vcek, platform.ask, r.reportData);
    assertEquals(2, report.version());
    assertEquals(1, report.guestSvn());
    assertEquals(0x30000L, report.policy());
    assertEquals(0, report.vmpl());
    assertEquals(SnpTestPlatform.TCB, report.reportedTcb());
    assertEquals(SnpTestPlatform.TCB, report.launchTcb());
    assertArrayEquals(r.measurement, report.measurement());
    assertArrayEquals(r.reportData, report.reportData());
    assertArrayEquals(r.chipId, report.chipId());
  }

  @Test
  void aMigrationAgentGuestPassesWhenThePolicyAllowsIt() {
    var r = new SnpTestPlatform.Report();
    r.policy |= SnpReport.POLICY_MIGRATE_MA;
    var policy = new SnpPolicy(platform.ark, java.util.Set.of(SnpTestPlatform.measurementHex(r.measurement)), SnpTestPlatform.TCB, true);
    assertDoesNotThrow(() -> new SnpVerifier(policy, SnpTestPlatform.CLOCK).verify(platform.signed(r), platform.vcek, platform.ask, r.reportData));
  }

  @Test
  void aReportOfTheWrongSizeIsNamed() {
    var e = assertThrows(SnpAttestationException.class, () -> new SnpReport(new byte[0x2A0]));
    assertTrue(e.getMessage().contains("1184 bytes"), e.getMessage());
  }
}
