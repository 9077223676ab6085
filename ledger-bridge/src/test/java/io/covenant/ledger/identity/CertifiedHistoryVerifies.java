package io.covenant.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.ledger.Scenario;
import io.covenant.ledger.verify.LedgerVerifier;
import org.junit.jupiter.api.Test;

/** The control for every identity attack: an enrolled consortium's history verifies against its pinned root. */
class CertifiedHistoryVerifies {
  @Test
  void enrolledOrganisationsVerifyUnderThePinnedRoot() {
    CertifiedConsortium c = new CertifiedConsortium();
    var events = new java.util.ArrayList<>(c.setup());
    events.add(c.hospitalBPublishesAgain(8));
    var report = c.verify(events);
    assertTrue(report.ok(), () -> report.failure().toString());
  }

  @Test
  void aLogWrittenBeforeCertificatesStillVerifiesWithoutARoot() {
    Scenario s = new Scenario();
    var report = LedgerVerifier.verify(Scenario.export(Scenario.chain(s.lawfulHistory()), io.covenant.core.crypto.SigningKey.generate()));
    assertTrue(report.ok(), () -> report.failure().toString());
  }
}
