package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.embedded.EmbeddedLedger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LawfulHistoryVerifies {
  @TempDir Path dir;

  @Test
  void anExportedLedgerOfCompleteDeniedAndFailedJobsVerifies() {
    Scenario s = new Scenario();
    SigningKey logKey = SigningKey.generate();
    List<SignedEvent> history = s.lawfulHistory();
    Path file = dir.resolve("audit.jsonl");
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), logKey)) {
      for (SignedEvent e : history) ledger.append(e);
      ledger.export(file);
    }
    LedgerExport export = LedgerExport.read(file);
    assertEquals(history.size(), export.entries().size());
    assertEquals(history.size(), export.checkpoint().treeSize());

    VerificationReport report = LedgerVerifier.verify(export, logKey.verifyingKey());
    assertTrue(report.ok(), report.toString());
    assertEquals(history.size(), report.entries());
    assertEquals(4, report.jobs());
    assertTrue(report.toString().startsWith("OK"), report.toString());
    assertTrue(LedgerVerifier.verify(export).ok());

    // The file form round-trips exactly.
    Path copy = dir.resolve("copy.jsonl");
    export.write(copy);
    assertEquals(export, LedgerExport.read(copy));
  }

  @Test
  void anEmptyLedgerVerifies() {
    SigningKey logKey = SigningKey.generate();
    Path file = dir.resolve("empty.jsonl");
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), logKey)) {
      ledger.export(file);
    }
    VerificationReport report = LedgerVerifier.verify(LedgerExport.read(file), logKey.verifyingKey());
    assertTrue(report.ok(), report.toString());
    assertEquals(0, report.entries());
  }
}
