package io.covenant.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The consortium revokes hospital-b (ORG_REVOKED at entry 8, signed by the CA and appended by the operator). What
 * hospital-b signed before stays valid; its next event fails verification naming entry 8. A revocation the consortium's
 * root did not sign (the operator's own, or another CA's) fails itself.
 */
class RevokedOrganisationsLaterEventIsNamed {
  @Test
  void anEventAfterTheRevocationFailsNamingIt() {
    CertifiedConsortium c = new CertifiedConsortium();
    List<io.covenant.core.event.SignedEvent> events = new ArrayList<>(c.setup());
    var registered = (AuditEvent.OrgRegistered) events.get(1).event();
    var fp = registered.certificate().orElseThrow().fingerprint();
    String reason = "signing key lost";
    var revoked = new AuditEvent.OrgRevoked(c.s.hospitalB.org(), fp, reason,
        c.ca.sign(ConsortiumRoot.revocationStatement(c.s.hospitalB.org(), fp, reason)));
    events.add(c.sign(c.s.operator, revoked, 8));
    assertTrue(c.verify(events).ok(), () -> "the revocation itself is lawful: " + c.verify(events).failure());
    events.add(c.hospitalBPublishesAgain(9));
    var report = c.verify(events);
    assertEquals(9, CertifiedConsortium.failedEntry(report));
    String why = CertifiedConsortium.failure(report);
    assertTrue(why.contains("hospital-b") && why.contains("revoked at entry 8") && why.contains(reason), why);
  }

  @Test
  void aRevocationNotSignedByTheRootFails() {
    CertifiedConsortium c = new CertifiedConsortium();
    List<io.covenant.core.event.SignedEvent> events = new ArrayList<>(c.setup());
    var fp = ((AuditEvent.OrgRegistered) events.get(1).event()).certificate().orElseThrow().fingerprint();
    CertificateAuthority other = CertificateAuthority.create("Test consortium", CertifiedConsortium.ISSUED, Duration.ofDays(10));
    var forged = new AuditEvent.OrgRevoked(c.s.hospitalB.org(), fp, "operator's whim",
        other.sign(ConsortiumRoot.revocationStatement(c.s.hospitalB.org(), fp, "operator's whim")));
    events.add(c.sign(c.s.operator, forged, 8));
    var report = c.verify(events);
    assertEquals(8, CertifiedConsortium.failedEntry(report));
    assertTrue(CertifiedConsortium.failure(report).contains("not signed by the consortium root"), CertifiedConsortium.failure(report));
  }

  @Test
  void onlyTheOperatorAppendsARevocation() {
    CertifiedConsortium c = new CertifiedConsortium();
    List<io.covenant.core.event.SignedEvent> events = new ArrayList<>(c.setup());
    var fp = ((AuditEvent.OrgRegistered) events.get(1).event()).certificate().orElseThrow().fingerprint();
    var rev = new AuditEvent.OrgRevoked(c.s.hospitalB.org(), fp, "x", c.ca.sign(ConsortiumRoot.revocationStatement(c.s.hospitalB.org(), fp, "x")));
    events.add(c.sign(c.s.hospitalA, rev, 8));
    assertTrue(CertifiedConsortium.failure(c.verify(events)).contains("only the operator appends"), CertifiedConsortium.failure(c.verify(events)));
  }
}
