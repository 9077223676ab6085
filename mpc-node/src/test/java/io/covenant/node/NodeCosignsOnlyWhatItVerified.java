package io.covenant.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.mirror.LedgerSource;
import io.covenant.ledger.mirror.MirroredLedger;
import io.covenant.ledger.witness.Witness;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node witnesses the log it verified itself: it cosigns the operator's checkpoint of that log, and refuses a
 * checkpoint over other entries (a fork shown only to the witnesses) or over entries it was never served.
 */
class NodeCosignsOnlyWhatItVerified {
  @TempDir Path dir;
  private final OrgCredentials operator = OrgCredentials.generate(OrgId.of("covenant-operator"));

  private EmbeddedLedger logWith(int orgs) {
    EmbeddedLedger l = EmbeddedLedger.open(dir.resolve("ledger"), operator.signingKey());
    for (int i = 0; i < orgs; i++) {
      OrgCredentials o = OrgCredentials.generate(OrgId.of("org-" + i));
      l.append(SignedEvent.sign(o.registration("org " + i, "data-owner"), o.org(), o.signingKey(), Instant.now()));
    }
    return l;
  }

  private static LedgerSource over(EmbeddedLedger l) {
    return new LedgerSource() {
      @Override public SignedCheckpoint checkpoint() { return l.checkpoint(); }
      @Override public List<LedgerEntry> entries(long from, long to) { return l.entries(from, Math.min(to, l.size())); }
      @Override public LedgerEntry append(SignedEvent e) { return l.append(e); }
      @Override public String describe() { return "the test coordinator"; }
    };
  }

  @Test
  void itCosignsTheLogItVerifiedAndRefusesAFork() {
    try (EmbeddedLedger log = logWith(3); MirroredLedger mirror = new MirroredLedger(over(log), operator.signingKey().verifyingKey(), Optional.empty())) {
      Witness witness = Witness.create(dir.resolve("witness"), "hospital-a", operator.signingKey().verifyingKey());
      SignedCheckpoint honest = log.checkpoint();
      var cosignature = OrgNode.cosign(witness, mirror, honest);
      assertTrue(cosignature.verifies(honest));
      assertEquals(3, witness.latestSize());

      // The operator signs, for the witnesses only, a checkpoint of the same size over another root.
      SignedCheckpoint fork = SignedCheckpoint.sign(honest.treeSize(), Digest.sha256(new byte[] {1}), Instant.now(), operator.signingKey());
      var e = assertThrows(CovenantException.class, () -> OrgNode.cosign(witness, mirror, fork));
      assertTrue(e.getMessage().contains("fork"), e.getMessage());

      // A checkpoint over entries the node was never served.
      SignedCheckpoint ahead = SignedCheckpoint.sign(honest.treeSize() + 5, Digest.sha256(new byte[] {2}), Instant.now(), operator.signingKey());
      var e2 = assertThrows(CovenantException.class, () -> OrgNode.cosign(witness, mirror, ahead));
      assertTrue(e2.getMessage().contains("does not serve"), e2.getMessage());
    }
  }

  @Test
  void anEarlierPrefixIsNotAForkButAShorterOneAfterCosigningIsARollback() {
    try (EmbeddedLedger log = logWith(4); MirroredLedger mirror = new MirroredLedger(over(log), operator.signingKey().verifyingKey(), Optional.empty())) {
      Witness witness = Witness.create(dir.resolve("witness"), "hospital-a", operator.signingKey().verifyingKey());
      OrgNode.cosign(witness, mirror, log.checkpoint());
      // The honest checkpoint of the first 2 entries, signed now: a prefix of what the witness cosigned, so a rollback.
      var tree = io.covenant.ledger.merkle.MerkleTree.of(log.entries(0, 2).stream().map(LedgerEntry::leafHash).toList());
      SignedCheckpoint older = SignedCheckpoint.sign(2, tree.root(), Instant.now(), operator.signingKey());
      var e = assertThrows(CovenantException.class, () -> OrgNode.cosign(witness, mirror, older));
      assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
    }
  }

}
