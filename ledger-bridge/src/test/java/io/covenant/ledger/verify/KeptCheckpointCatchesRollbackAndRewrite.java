package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.CosignedCheckpoint;
import io.covenant.ledger.Insider;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.embedded.EmbeddedLedger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify --since}: an auditor kept a checkpoint from an earlier audit. A log truncated since (a rollback) and
 * a log rewritten and re-signed with the operator's real key both verify on their own; against the kept checkpoint
 * (RFC 9162 consistency proof) each is named.
 */
class KeptCheckpointCatchesRollbackAndRewrite {
  @TempDir Path dir;
  final Scenario s = new Scenario();
  final List<SignedEvent> history = s.lawfulHistory();

  private CosignedCheckpoint auditedOnce() {
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, s.operator.signingKey())) {
      for (SignedEvent e : history) l.append(e);
      return new CosignedCheckpoint(l.checkpoint(), List.of());
    }
  }

  @Test
  void aTruncatedLogIsARollback() {
    CosignedCheckpoint kept = auditedOnce();
    Insider insider = new Insider(dir);
    insider.truncate(history.size() - 3);
    insider.resignCheckpoints(s.operator.signingKey());
    AuditorTrust pinned = AuditorTrust.NONE.withLogKey(s.operator.signingKey().verifyingKey());
    assertTrue(LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), pinned).ok(), "on its own the truncated log verifies");

    VerificationReport r = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), pinned.withSince(kept));
    String why = r.failure().orElseThrow().reason();
    assertTrue(why.contains("the checkpoint you kept") && why.contains("rolled back") && why.contains("entries " + (history.size() - 3) + " to " + (history.size() - 1)), why);
  }

  @Test
  void aRewriteWithTheOperatorKeyIsAFork() {
    CosignedCheckpoint kept = auditedOnce();
    int target = CheckpointRemovedAndTailEditedIsNamed.firstUsageSettledFrom(history, 0);
    Insider insider = new Insider(dir);
    insider.editAndResign(target, ev -> {
      AuditEvent.UsageSettled u = (AuditEvent.UsageSettled) ev;
      return new AuditEvent.UsageSettled(u.jobId(), u.dataset(), u.beneficiary(), 0);
    }, s.operator.signingKey());
    insider.resignCheckpoints(s.operator.signingKey());
    AuditorTrust pinned = AuditorTrust.NONE.withLogKey(s.operator.signingKey().verifyingKey());
    assertTrue(LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), pinned).ok(), "on its own the rewritten log verifies");

    VerificationReport r = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), pinned.withSince(kept));
    assertFalse(r.ok());
    String why = r.failure().orElseThrow().reason();
    assertTrue(why.contains("consistency proof") && why.contains("fork") && why.contains("one of entries 0 to " + (history.size() - 1)), why);
  }

  @Test
  void aKeptExportNamesTheExactRewrittenEntry() {
    CosignedCheckpoint kept = auditedOnce();
    var keptLeaves = LedgerExport.ofLedgerDirectory(dir).entries().stream().map(io.covenant.ledger.LedgerEntry::leafHash).toList();
    int target = CheckpointRemovedAndTailEditedIsNamed.firstUsageSettledFrom(history, 0);
    Insider insider = new Insider(dir);
    insider.editAndResign(target, ev -> {
      AuditEvent.UsageSettled u = (AuditEvent.UsageSettled) ev;
      return new AuditEvent.UsageSettled(u.jobId(), u.dataset(), u.beneficiary(), 0);
    }, s.operator.signingKey());
    insider.resignCheckpoints(s.operator.signingKey());

    VerificationReport r = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), AuditorTrust.NONE.withSince(kept, keptLeaves));
    var f = r.failure().orElseThrow();
    assertEquals(target, f.index(), f.reason());
    assertTrue(f.reason().startsWith("entry " + target + " (USAGE_SETTLED) differs from the same entry in the export you kept"), f.reason());
  }

  @Test
  void anHonestlyGrownLogPasses() {
    CosignedCheckpoint kept;
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, s.operator.signingKey())) {
      for (SignedEvent e : history.subList(0, 12)) l.append(e);
      kept = new CosignedCheckpoint(l.checkpoint(), List.of());
      for (SignedEvent e : history.subList(12, history.size())) l.append(e);
    }
    VerificationReport r = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), AuditorTrust.NONE.withSince(kept));
    assertTrue(r.ok(), r.toString());
    assertEquals(history.size(), r.entries());
  }
}
