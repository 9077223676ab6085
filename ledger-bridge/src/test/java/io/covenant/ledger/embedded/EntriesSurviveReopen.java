package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.segment.LedgerDirectory;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntriesSurviveReopen {
  @TempDir Path dir;

  @Test
  void entriesIndexesRegistrationsAndProofsComeBackAcrossManySegments() {
    Scenario s = new Scenario();
    SigningKey logKey = SigningKey.generate();
    List<SignedEvent> history = s.lawfulHistory();
    JobId tee = history.get(8).event().job().orElseThrow();
    List<LedgerEntry> before;
    SignedCheckpoint old;
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey, 2048)) {
      for (SignedEvent e : history.subList(0, 10)) ledger.append(e);
      old = ledger.checkpoint();
    }
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey, 2048)) {
      assertEquals(10, ledger.size());
      for (SignedEvent e : history.subList(10, history.size())) ledger.append(e);
      before = ledger.entries(0, ledger.size());
    }
    assertTrue(LedgerDirectory.segments(dir).size() > 3);
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey, 2048)) {
      assertEquals(before, ledger.entries(0, ledger.size()));
      assertEquals(11, ledger.entriesForJob(tee).size());
      assertTrue(ledger.organisation(s.hospitalB.org()).isPresent());
      SignedCheckpoint now = ledger.checkpoint();
      assertEquals(history.size(), now.treeSize());
      assertTrue(ledger.proveConsistency(old.treeSize(), now.treeSize()).verify(old.rootHash(), now.rootHash()), "the log only grew");
      for (LedgerEntry e : before) assertTrue(ledger.proveInclusion(e.index(), now.treeSize()).verify(e.leafHash(), now.rootHash()));
    }
    // Read offline, straight from the files, the directory verifies.
    var report = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), logKey.verifyingKey());
    assertTrue(report.ok(), report.toString());
    assertEquals(history.size(), report.entries());
    assertEquals(4, report.jobs());
  }
}
