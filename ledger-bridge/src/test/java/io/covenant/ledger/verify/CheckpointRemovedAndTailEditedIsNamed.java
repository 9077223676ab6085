package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.Insider;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.embedded.EmbeddedLedger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of issue 8, point 1: remove the last checkpoint record, then edit entries after the one before it.
 * Before, verify read only up to the latest checkpoint and said "verified" even with the log key pinned.
 */
class CheckpointRemovedAndTailEditedIsNamed {
  @TempDir Path dir;

  @Test
  void theEditedEntryIsNamedEvenWithItsCheckpointGone() {
    Scenario s = new Scenario();
    List<SignedEvent> history = s.lawfulHistory();
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, s.operator.signingKey())) {
      for (SignedEvent e : history.subList(0, 10)) l.append(e);
      l.checkpoint();
      for (SignedEvent e : history.subList(10, history.size())) l.append(e);
    }
    Insider insider = new Insider(dir);
    insider.keepCheckpoints(insider.checkpointCount() - 1); // the last checkpoint (all entries) is gone; the one at 10 stays
    int target = firstUsageSettledFrom(history, 10);
    insider.editKeepingSignature(target, ev -> {
      AuditEvent.UsageSettled u = (AuditEvent.UsageSettled) ev;
      return new AuditEvent.UsageSettled(u.jobId(), u.dataset(), u.beneficiary(), u.units() + 100);
    });

    VerificationReport r = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), s.operator.signingKey().verifyingKey());
    assertFalse(r.ok(), "an edited entry after the last remaining checkpoint must not verify");
    VerificationReport.Failure f = r.failure().orElseThrow();
    assertEquals(target, f.index());
    assertEquals("USAGE_SETTLED", f.eventType());
    assertTrue(f.reason().startsWith("entry " + target + " (USAGE_SETTLED)") && f.reason().contains("does not verify"), f.reason());
  }

  @Test
  void entriesNoCheckpointCoversAreCountedAndStillChecked() {
    Scenario s = new Scenario();
    List<SignedEvent> history = s.lawfulHistory();
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, s.operator.signingKey())) {
      for (SignedEvent e : history.subList(0, 10)) l.append(e);
      l.checkpoint();
      for (SignedEvent e : history.subList(10, history.size())) l.append(e);
    }
    Insider insider = new Insider(dir);
    insider.keepCheckpoints(insider.checkpointCount() - 1);
    VerificationReport r = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), s.operator.signingKey().verifyingKey());
    assertTrue(r.ok(), r.toString());
    assertEquals(history.size(), r.entries(), "every entry is read, not only those the checkpoint covers");
    assertEquals(history.size() - 10, r.uncovered());
  }

  static int firstUsageSettledFrom(List<SignedEvent> history, int from) {
    for (int i = from; i < history.size(); i++) if (history.get(i).event() instanceof AuditEvent.UsageSettled) return i;
    throw new AssertionError("the scenario has no USAGE_SETTLED after entry " + from);
  }
}
