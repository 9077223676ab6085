package io.covenant.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.identity.CertificateAuthority;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A certificate from another CA that even bears the consortium root's name: same issuer name, same subject, same
 * key, same roles, but signed by a key that is not the pinned root's. Verify names it as from outside the consortium.
 */
class ForeignCaCertificateFailsVerify {
  @Test
  void aLookAlikeCaIsNotTheConsortium() {
    CertifiedConsortium c = new CertifiedConsortium();
    CertificateAuthority foreign = CertificateAuthority.create("Test consortium", CertifiedConsortium.ISSUED, Duration.ofDays(3650));
    var cert = foreign.issue(c.s.hospitalA.org(), List.of("member"), c.s.hospitalA.signingKey().verifyingKey(), CertifiedConsortium.ISSUED,
        CertificateAuthority.MEMBER_VALIDITY);
    assertEquals(c.ca.root().subjectName(), cert.issuerName(), "the foreign CA must look like the consortium's by name");

    var report = c.verify(c.setupWith(c.register(c.s.hospitalA, "member", cert, 0)));
    assertEquals(0, CertifiedConsortium.failedEntry(report));
    String why = CertifiedConsortium.failure(report);
    assertTrue(why.contains("does not chain to the pinned consortium root") && why.contains("outside the consortium"), why);
  }

  @Test
  void theWholeConsortiumUnderAnotherRootFailsAgainstThePinnedOne() {
    CertifiedConsortium c = new CertifiedConsortium();
    CertificateAuthority other = CertificateAuthority.create("Other consortium", CertifiedConsortium.ISSUED, Duration.ofDays(3650));
    var report = c.verify(c.setup(), other);
    assertEquals(0, CertifiedConsortium.failedEntry(report));
    assertTrue(CertifiedConsortium.failure(report).contains("Other consortium root"), CertifiedConsortium.failure(report));
  }
}
