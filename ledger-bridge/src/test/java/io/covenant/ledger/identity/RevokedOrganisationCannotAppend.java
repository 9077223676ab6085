package io.covenant.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.ledger.embedded.EmbeddedLedger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Besides the verifier, the embedded ledger itself refuses what a revoked organisation signs after its ORG_REVOKED,
 * naming the revocation entry and writing nothing, also after the ledger is reopened.
 */
class RevokedOrganisationCannotAppend {
  @TempDir Path dir;

  @Test
  void theLedgerRefusesARevokedSignerAcrossRestarts() {
    CertifiedConsortium c = new CertifiedConsortium();
    SigningKey logKey = SigningKey.generate();
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey)) {
      for (SignedEvent e : c.setup()) ledger.append(e);
      var fp = ((AuditEvent.OrgRegistered) ledger.entries(1, 2).getFirst().event().event()).certificate().orElseThrow().fingerprint();
      ledger.append(c.sign(c.s.operator, new AuditEvent.OrgRevoked(c.s.hospitalB.org(), fp, "key lost",
          c.ca.sign(ConsortiumRoot.revocationStatement(c.s.hospitalB.org(), fp, "key lost"))), 8));
      var e = assertThrows(LedgerRejectedException.class, () -> ledger.append(c.hospitalBPublishesAgain(9)));
      assertTrue(e.getMessage().contains("revoked at entry 8"), e.getMessage());
      assertEquals(9, ledger.size());
    }
    try (EmbeddedLedger reopened = EmbeddedLedger.open(dir, logKey)) {
      var e = assertThrows(LedgerRejectedException.class, () -> reopened.append(c.hospitalBPublishesAgain(10)));
      assertTrue(e.getMessage().contains("revoked at entry 8"), e.getMessage());
      assertEquals(9, reopened.size());
      reopened.append(c.sign(c.s.hospitalA, new AuditEvent.PolicyPublished(c.s.claimsA.dataset(), "other", io.covenant.core.crypto.Digest.sha256(new byte[] {9})), 11));
      assertEquals(10, reopened.size(), "other organisations still append");
    }
  }
}
