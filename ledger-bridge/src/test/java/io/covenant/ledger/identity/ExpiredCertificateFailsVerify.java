package io.covenant.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Certificates are checked at each event's own time: hospital-a's certificate runs out two seconds after its
 * registration, so its registration verifies and its DATASET_PUBLISHED (four seconds in) fails, naming the expiry.
 * A registration made after its certificate expired fails at once.
 */
class ExpiredCertificateFailsVerify {
  @Test
  void anEventAfterTheSignersCertificateExpiredFails() {
    CertifiedConsortium c = new CertifiedConsortium();
    Duration untilTwoSecondsIn = Duration.between(CertifiedConsortium.ISSUED, CertifiedConsortium.at(2));
    var shortLived = c.ca.issue(c.s.hospitalA.org(), List.of("member"), c.s.hospitalA.signingKey().verifyingKey(), CertifiedConsortium.ISSUED,
        untilTwoSecondsIn);
    var events = c.setupWith(c.register(c.s.hospitalA, "member", shortLived, 0));
    assertTrue(c.verify(events.subList(0, 4)).ok(), "the registration itself was within the certificate's validity");
    var report = c.verify(events);
    assertEquals(4, CertifiedConsortium.failedEntry(report));
    String why = CertifiedConsortium.failure(report);
    assertTrue(why.contains("signed by hospital-a") && why.contains("expired at 2026-11-21T10:00:02Z"), why);
  }

  @Test
  void aRegistrationAfterItsCertificateExpiredFails() {
    CertifiedConsortium c = new CertifiedConsortium();
    var expired = c.ca.issue(c.s.hospitalA.org(), List.of("member"), c.s.hospitalA.signingKey().verifyingKey(), CertifiedConsortium.ISSUED,
        Duration.ofMinutes(30));
    var report = c.verify(c.setupWith(c.register(c.s.hospitalA, "member", expired, 0)));
    assertEquals(0, CertifiedConsortium.failedEntry(report));
    assertTrue(CertifiedConsortium.failure(report).contains("expired at 2026-11-21T09:30:00Z"), CertifiedConsortium.failure(report));
  }

  @Test
  void aMemberCertificateNeverOutlivesTheRoot() {
    CertifiedConsortium c = new CertifiedConsortium();
    var cert = c.ca.issue(c.s.hospitalA.org(), List.of("member"), c.s.hospitalA.signingKey().verifyingKey(), CertifiedConsortium.ISSUED,
        Duration.ofDays(100_000));
    assertEquals(c.ca.root().notAfter(), cert.notAfter());
  }
}
