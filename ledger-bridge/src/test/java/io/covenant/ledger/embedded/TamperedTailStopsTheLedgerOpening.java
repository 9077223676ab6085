package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.Insider;
import io.covenant.ledger.Scenario;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log whose entries after the last checkpoint were edited (and that checkpoint removed) does not open: nothing forged is served. */
class TamperedTailStopsTheLedgerOpening {
  @TempDir Path dir;

  @Test
  void openNamesTheEditedEntry() {
    Scenario s = new Scenario();
    List<SignedEvent> history = s.lawfulHistory();
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, s.operator.signingKey())) {
      for (SignedEvent e : history.subList(0, 8)) l.append(e);
      l.checkpoint();
      for (SignedEvent e : history.subList(8, history.size())) l.append(e);
    }
    Insider insider = new Insider(dir);
    insider.keepCheckpoints(insider.checkpointCount() - 1);
    int target = -1;
    for (int i = 8; i < history.size() && target < 0; i++) if (history.get(i).event() instanceof AuditEvent.ApprovalGiven) target = i;
    int t = target;
    insider.editKeepingSignature(t, ev -> {
      AuditEvent.ApprovalGiven a = (AuditEvent.ApprovalGiven) ev;
      return new AuditEvent.ApprovalGiven(a.jobId(), a.dataset(), a.approved(), "forged note");
    });
    IntegrityException e = assertThrows(IntegrityException.class, () -> EmbeddedLedger.open(dir, s.operator.signingKey()).close());
    assertTrue(e.getMessage().startsWith("entry " + t + " (APPROVAL_GIVEN)") && e.getMessage().contains("after the last checkpoint"), e.getMessage());
  }
}
