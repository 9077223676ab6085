package io.covenant.ledger.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's own appends ({@link MirroredLedger#appendAll}: an owner's ATTESTATION_VERIFIED and KEY_RELEASED) are
 * verified from the coordinator's answer alone, the checkpoint it carries and the entries, with no second request
 * when nothing else was appended; and that answer is checked like any sync: a checkpoint not signed by the log key,
 * entries that are not the ones the checkpoint covers, or an answer that claims events it never appended are refused,
 * and the mirror keeps what it had verified.
 */
class MirrorChecksTheAnswerToItsBatchAppend {
  @TempDir Path dir;
  private final Scenario s = new Scenario();

  /** Serves the real ledger, counting the requests a mirror makes, and answering batch appends as a test makes it. */
  private static final class Coordinator implements LedgerSource {
    final EmbeddedLedger ledger;
    final AtomicInteger reads = new AtomicInteger();
    UnaryOperator<LogUpdate> answers = UnaryOperator.identity();
    boolean dropAppends;

    Coordinator(EmbeddedLedger ledger) {
      this.ledger = ledger;
    }

    @Override public SignedCheckpoint checkpoint() { reads.incrementAndGet(); return ledger.checkpoint(); }
    @Override public List<LedgerEntry> entries(long from, long to) { reads.incrementAndGet(); return ledger.entries(from, Math.min(to, ledger.size())); }
    @Override public LedgerEntry append(SignedEvent event) { return ledger.append(event); }
    @Override public String describe() { return "the test coordinator"; }

    @Override
    public LogUpdate appendAll(List<SignedEvent> events) {
      if (dropAppends) {
        // Claims the events became the last entries, which are others.
        long n = ledger.size();
        return answers.apply(new LogUpdate(ledger.checkpoint(), ledger.entries(n - events.size(), n)));
      }
      List<LedgerEntry> appended = ledger.appendAll(events);
      return answers.apply(new LogUpdate(ledger.checkpoint(), appended));
    }
  }

  private Coordinator coordinator() {
    EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), s.operator.signingKey());
    s.setup().forEach(ledger::append);
    return new Coordinator(ledger);
  }

  private List<SignedEvent> release(JobId job) {
    return List.of(s.attested(s.hospitalA, job, s.enclave), s.keyReleased(s.hospitalA, job, s.claimsA, s.enclave));
  }

  @Test
  void anHonestAnswerIsVerifiedWithoutAskingAgain() {
    Coordinator c = coordinator();
    try (MirroredLedger m = new MirroredLedger(c, s.operator.signingKey().verifyingKey(), Optional.of(dir.resolve("mirror.json")))) {
      c.reads.set(0);
      JobId job = JobId.random();
      List<LedgerEntry> got = m.appendAll(release(job));
      assertEquals(List.of(8L, 9L), got.stream().map(LedgerEntry::index).toList());
      assertEquals(0, c.reads.get(), "the answer's checkpoint and entries were enough");
      assertEquals(10, m.size());
      assertEquals(c.ledger.checkpoint().rootHash(), m.checkpoint().rootHash());

      // Entries others appended in between are paged for, then verified with the node's own.
      c.ledger.append(s.submitted(JobId.random(), io.covenant.core.job.Engine.TEE));
      m.appendAll(release(JobId.random()));
      assertEquals(13, m.size());
      assertTrue(c.reads.get() > 0);
      assertEquals(c.ledger.checkpoint().rootHash(), m.checkpoint().rootHash());
    }
  }

  @Test
  void anAnswerCheckpointNotSignedByTheLogKeyIsRefused() {
    Coordinator c = coordinator();
    SigningKey stranger = SigningKey.generate();
    try (MirroredLedger m = new MirroredLedger(c, s.operator.signingKey().verifyingKey(), Optional.empty())) {
      c.answers = a -> new LedgerSource.LogUpdate(SignedCheckpoint.sign(a.checkpoint().treeSize(), a.checkpoint().rootHash(), a.checkpoint().at(), stranger), a.entries());
      var e = assertThrows(IntegrityException.class, () -> m.appendAll(release(JobId.random())));
      assertTrue(e.getMessage().contains("not signed by the consortium's log key"), e.getMessage());
      assertEquals(8, m.size());
    }
  }

  @Test
  void anAnswerWhoseEntriesAreNotTheSignedOnesIsAFork() {
    Coordinator c = coordinator();
    try (MirroredLedger m = new MirroredLedger(c, s.operator.signingKey().verifyingKey(), Optional.empty())) {
      // The second entry is swapped for a validly signed event of the owner's that the log does not hold there.
      SignedEvent other = s.keyReleased(s.hospitalA, JobId.random(), s.claimsA, s.enclave);
      c.answers = a -> new LedgerSource.LogUpdate(a.checkpoint(),
          List.of(a.entries().get(0), new LedgerEntry(a.entries().get(1).index(), other, a.entries().get(1).previous())));
      var e = assertThrows(IntegrityException.class, () -> m.appendAll(release(JobId.random())));
      assertTrue(e.getMessage().contains("fork"), e.getMessage());
      assertEquals(8, m.size());
    }
  }

  @Test
  void anAnswerForEventsTheLogNeverAppendedIsCaught() {
    Coordinator c = coordinator();
    try (MirroredLedger m = new MirroredLedger(c, s.operator.signingKey().verifyingKey(), Optional.empty())) {
      c.dropAppends = true;
      var e = assertThrows(IntegrityException.class, () -> m.appendAll(release(JobId.random())));
      assertTrue(e.getMessage().contains("dropped or replaced"), e.getMessage());
      assertEquals(8, c.ledger.size());
    }
  }
}
