package io.covenant.ledger.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An organisation's node reads the log through the coordinator, which it trusts for liveness only: a coordinator that
 * rolls the log back, rewrites an entry, forges an event or signs with another key is caught, and the mirror keeps what
 * it had verified.
 */
class MirrorRefusesALyingCoordinator {
  @TempDir Path dir;
  private final Scenario s = new Scenario();

  /** A source that serves the real ledger, except for what a test makes it lie about. */
  private static final class Coordinator implements LedgerSource {
    final EmbeddedLedger ledger;
    UnaryOperator<SignedCheckpoint> checkpoints = UnaryOperator.identity();
    UnaryOperator<List<LedgerEntry>> pages = UnaryOperator.identity();

    Coordinator(EmbeddedLedger ledger) {
      this.ledger = ledger;
    }

    @Override public SignedCheckpoint checkpoint() { return checkpoints.apply(ledger.checkpoint()); }
    @Override public List<LedgerEntry> entries(long from, long to) { return pages.apply(ledger.entries(from, Math.min(to, ledger.size()))); }
    @Override public LedgerEntry append(SignedEvent event) { return ledger.append(event); }
    @Override public String describe() { return "the test coordinator"; }
  }

  private Coordinator coordinatorWithSetup() {
    EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), s.operator.signingKey());
    s.setup().forEach(ledger::append);
    return new Coordinator(ledger);
  }

  @Test
  void anHonestLogIsMirroredAndAppendsComeBackVerified() {
    Coordinator c = coordinatorWithSetup();
    try (MirroredLedger m = new MirroredLedger(c, s.operator.signingKey().verifyingKey(), Optional.of(dir.resolve("mirror.json")))) {
      assertEquals(8, m.size());
      assertTrue(m.organisation(s.hospitalA.org()).isPresent());
      JobId job = JobId.random();
      LedgerEntry e = m.append(s.submitted(job, io.covenant.core.job.Engine.TEE));
      assertEquals(8, e.index());
      assertEquals(1, m.entriesForJob(job).size());
      assertEquals(c.ledger.checkpoint().rootHash(), m.checkpoint().rootHash());
    }
  }

  @Test
  void aRolledBackLogIsRefusedEvenAfterARestart() {
    Coordinator c = coordinatorWithSetup();
    new MirroredLedger(c, s.operator.signingKey().verifyingKey(), Optional.of(dir.resolve("mirror.json"))).close();
    // The operator restores an older copy of the log: 5 entries, honestly signed at that size.
    SigningKey op = s.operator.signingKey();
    c.pages = page -> page.stream().filter(e -> e.index() < 5).toList();
    c.checkpoints = cp -> SignedCheckpoint.sign(5, io.covenant.ledger.merkle.MerkleTree.of(
        c.ledger.entries(0, 5).stream().map(LedgerEntry::leafHash).toList()).root(), Instant.now(), op);
    var e = assertThrows(IntegrityException.class, () -> new MirroredLedger(c, op.verifyingKey(), Optional.of(dir.resolve("mirror.json"))));
    assertTrue(e.getMessage().contains("rollback"), e.getMessage());
  }

  @Test
  void aRewrittenEntryIsRefusedAndTheMirrorKeepsWhatItHad() {
    Coordinator c = coordinatorWithSetup();
    try (MirroredLedger m = new MirroredLedger(c, s.operator.signingKey().verifyingKey(), Optional.empty())) {
      JobId job = JobId.random();
      c.ledger.append(s.submitted(job, io.covenant.core.job.Engine.TEE));
      // The coordinator serves the new entry with another consumer's name on it, keeping its signature.
      c.pages = page -> {
        List<LedgerEntry> out = new ArrayList<>();
        for (LedgerEntry e : page) {
          if (e.event().event() instanceof AuditEvent.JobSubmitted js) {
            var forged = new AuditEvent.JobSubmitted(js.jobId(), s.hospitalB.org(), js.datasets(), js.engine(), js.purpose(), js.computationHash());
            e = new LedgerEntry(e.index(), new SignedEvent(forged, e.event().actor(), e.event().issuedAt(), e.event().signature()), e.previous());
          }
          out.add(e);
        }
        return out;
      };
      var e = assertThrows(IntegrityException.class, m::sync);
      assertTrue(e.getMessage().contains("fails verification"), e.getMessage());
      assertEquals(8, m.size());
    }
  }

  @Test
  void aCheckpointSignedByAnotherKeyIsRefused() {
    Coordinator c = coordinatorWithSetup();
    SigningKey stranger = SigningKey.generate();
    c.checkpoints = cp -> SignedCheckpoint.sign(cp.treeSize(), cp.rootHash(), cp.at(), stranger);
    var e = assertThrows(IntegrityException.class, () -> new MirroredLedger(c, s.operator.signingKey().verifyingKey(), Optional.empty()));
    assertTrue(e.getMessage().contains("not signed by the consortium's log key"), e.getMessage());
  }

  @Test
  void aCheckpointOverOtherEntriesIsAFork() {
    Coordinator c = coordinatorWithSetup();
    SigningKey op = s.operator.signingKey();
    // Properly signed by the log key, but over a root the served entries do not have.
    c.checkpoints = cp -> SignedCheckpoint.sign(cp.treeSize(), io.covenant.core.crypto.Digest.sha256(new byte[] {9}), cp.at(), op);
    var e = assertThrows(IntegrityException.class, () -> new MirroredLedger(c, op.verifyingKey(), Optional.empty()));
    assertTrue(e.getMessage().contains("fork"), e.getMessage());
  }
}
