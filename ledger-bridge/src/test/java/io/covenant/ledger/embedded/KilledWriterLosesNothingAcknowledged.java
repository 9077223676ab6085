package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 in the middle of concurrent appends: every entry the process acknowledged is there after reopen. */
class KilledWriterLosesNothingAcknowledged {
  private static final int ACKS_BEFORE_KILL = 400;

  @TempDir Path dir;

  @Test
  void twoRoundsOfAppendAndKill() throws Exception {
    Map<Long, String> acknowledged = new HashMap<>();
    for (int round = 0; round < 2; round++) {
      Process child = new ProcessBuilder(
          javaExecutable(), "-cp", System.getProperty("java.class.path"), AppendingChild.class.getName(), dir.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        int seen = 0;
        while (seen < ACKS_BEFORE_KILL) {
          String line = out.readLine();
          assertNotNull(line, "the child stopped before acknowledging " + ACKS_BEFORE_KILL + " appends (see its stderr above)");
          String[] parts = line.split(" ");
          acknowledged.put(Long.parseLong(parts[1]), parts[2]);
          seen++;
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, no final checkpoint
        child.waitFor();
      }
    }

    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, AppendingChild.logKey(), 16 * 1024)) {
      long max = acknowledged.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
      assertTrue(ledger.size() > max, "ledger holds " + ledger.size() + " entries but entry " + max + " was acknowledged");
      List<LedgerEntry> all = ledger.entries(0, ledger.size());
      for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
        AuditEvent ev = all.get(ack.getKey().intValue()).event().event();
        assertEquals(ack.getValue(), ((AuditEvent.PolicyPublished) ev).policyId(), "entry " + ack.getKey());
      }
    }
    VerificationReport report = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), AppendingChild.logKey().verifyingKey());
    assertTrue(report.ok(), report.toString());
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
  }
}
