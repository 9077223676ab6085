package io.covenant.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.identity.CertificateAuthority;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A genuine consortium certificate naming hospital-a, but for another key (hospital-b's): whoever holds hospital-a's
 * certificate cannot register a key of its own under it. Likewise a certificate naming another organisation, and a
 * registration claiming a role its certificate does not grant.
 */
class CertificateForAnotherKeyFailsVerify {
  @Test
  void aCertificateForAnotherKeyIsRefused() {
    CertifiedConsortium c = new CertifiedConsortium();
    var cert = c.ca.issue(c.s.hospitalA.org(), List.of("member"), c.s.hospitalB.signingKey().verifyingKey(), CertifiedConsortium.ISSUED,
        CertificateAuthority.MEMBER_VALIDITY);
    var report = c.verify(c.setupWith(c.register(c.s.hospitalA, "member", cert, 0)));
    assertEquals(0, CertifiedConsortium.failedEntry(report));
    String why = CertifiedConsortium.failure(report);
    assertTrue(why.contains("is for another key"), why);
  }

  @Test
  void aCertificateNamingAnotherOrganisationIsRefused() {
    CertifiedConsortium c = new CertifiedConsortium();
    var cert = c.ca.issue(c.s.hospitalB.org(), List.of("member"), c.s.hospitalA.signingKey().verifyingKey(), CertifiedConsortium.ISSUED,
        CertificateAuthority.MEMBER_VALIDITY);
    String why = CertifiedConsortium.failure(c.verify(c.setupWith(c.register(c.s.hospitalA, "member", cert, 0))));
    assertTrue(why.contains("names 'hospital-b', not hospital-a"), why);
  }

  @Test
  void aRoleTheCertificateDoesNotGrantIsRefused() {
    CertifiedConsortium c = new CertifiedConsortium();
    var cert = c.certificate(c.s.hospitalA, "member");
    String why = CertifiedConsortium.failure(c.verify(c.setupWith(c.register(c.s.hospitalA, "member,auditor", cert, 0))));
    assertTrue(why.contains("claims role auditor, which its certificate does not grant"), why);
  }
}
