package io.covenant.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.ledger.Scenario;
import org.junit.jupiter.api.Test;

/** "First registration wins" is gone once a root is pinned: a registration with no certificate fails, named. */
class SelfRegistrationWithoutCertificateFails {
  @Test
  void aPlainRegistrationFailsUnderAPinnedRoot() {
    CertifiedConsortium c = new CertifiedConsortium();
    var plain = c.sign(c.s.hospitalA, c.s.hospitalA.registration("hospital-a", "member"), 0);
    var report = c.verify(c.setupWith(plain));
    assertEquals(0, CertifiedConsortium.failedEntry(report));
    String why = CertifiedConsortium.failure(report);
    assertTrue(why.contains("carries no certificate") && why.contains("Test consortium root"), why);
  }

  @Test
  void theSameLogVerifiesWhenNoRootIsPinned() {
    CertifiedConsortium c = new CertifiedConsortium();
    var plain = c.sign(c.s.hospitalA, c.s.hospitalA.registration("hospital-a", "member"), 0);
    var report = io.covenant.ledger.verify.LedgerVerifier.verify(Scenario.export(Scenario.chain(c.setupWith(plain)), c.logKey));
    assertTrue(report.ok(), () -> report.failure().toString());
  }
}
