package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Correctly signed reports whose contents the policy refuses: each refusal names the field. These are reports the
 * genuine hardware would sign (a debug guest, a report requested from VMPL 2, old firmware...), so only the policy
 * checks stand between them and a key release.
 */
class SnpGuestPolicyViolationsAreNamed {
  private final SnpTestPlatform platform = new SnpTestPlatform();
  private final byte[] allowed = SnpTestPlatform.filled(48, 0x22);

  private String refusal(Consumer<SnpTestPlatform.Report> change, byte[] expectedReportData) {
    var r = new SnpTestPlatform.Report();
    change.accept(r);
    return assertThrows(SnpAttestationException.class,
        () -> platform.verifier(allowed).verify(platform.signed(r), platform.vcek, platform.ask, expectedReportData)).getMessage();
  }

  @Test
  void debugGuestIsRefused() {
    String m = refusal(r -> r.policy |= SnpReport.POLICY_DEBUG, SnpTestPlatform.filled(64, 0x11));
    assertTrue(m.contains("debug bit set in policy 0xb0000"), m);
  }

  @Test
  void migrationAgentIsRefusedByDefault() {
    String m = refusal(r -> r.policy |= SnpReport.POLICY_MIGRATE_MA, SnpTestPlatform.filled(64, 0x11));
    assertTrue(m.contains("migration agent bit set"), m);
  }

  @Test
  void reportFromAVmplOtherThanZeroIsRefused() {
    String m = refusal(r -> r.vmpl = 2, SnpTestPlatform.filled(64, 0x11));
    assertTrue(m.contains("vmpl 2 is not 0"), m);
  }

  @Test
  void unlistedMeasurementIsRefused() {
    String m = refusal(r -> r.measurement = SnpTestPlatform.filled(48, 0x23), SnpTestPlatform.filled(64, 0x11));
    assertTrue(m.contains("measurement 2323232323232323… is not on the allow-list"), m);
  }

  @Test
  void reportBoundToAnotherRequestIsRefused() {
    String m = refusal(r -> { }, SnpTestPlatform.filled(64, 0x12));
    assertTrue(m.contains("report_data differs from the expected binding"), m);
  }

  @Test
  void unknownSignatureAlgorithmIsRefused() {
    String m = refusal(r -> r.signatureAlgo = 2, SnpTestPlatform.filled(64, 0x11));
    assertTrue(m.contains("signature_algo 2"), m);
  }

  @Test
  void reportOlderThanVersionTwoIsRefused() {
    String m = refusal(r -> r.version = 1, SnpTestPlatform.filled(64, 0x11));
    assertTrue(m.contains("version 1 is older than 2"), m);
  }
}
