package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.segment.LedgerDirectory;
import io.covenant.ledger.segment.SegmentFile;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** A crash mid-write leaves a partial, never-acknowledged record at the end; reopening cuts it off and carries on. */
class TornTailIsTruncated {
  @TempDir Path dir;
  private final SigningKey logKey = SigningKey.generate();
  private final Scenario s = new Scenario();

  static List<Arguments> tails() {
    byte[] frame = SegmentFile.frame("{\"a record that was being written\":true}".getBytes());
    return List.of(
        Arguments.of("half a header", (UnaryOperator<byte[]>) b -> concat(b, Arrays.copyOf(frame, 5))),
        Arguments.of("a header without all its payload", (UnaryOperator<byte[]>) b -> concat(b, Arrays.copyOf(frame, frame.length - 3))),
        Arguments.of("a file extended with zeros the data never reached", (UnaryOperator<byte[]>) b -> concat(b, new byte[4096])),
        Arguments.of("a complete header whose payload is garbage", (UnaryOperator<byte[]>) b -> {
          byte[] torn = frame.clone();
          torn[torn.length - 1] ^= 1;
          return concat(b, torn);
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tails")
  void theTornRecordIsCutAndTheLogContinues(String what, UnaryOperator<byte[]> tear) {
    List<SignedEvent> events = s.setup();
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey)) {
      for (SignedEvent e : events) ledger.append(e);
    }
    Path seg = LedgerDirectory.segmentFile(dir, 0);
    byte[] intact = SegmentBytes.read(seg);
    SegmentBytes.write(seg, tear.apply(intact));

    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey)) {
      assertEquals(events.size(), ledger.size());
      assertEquals(intact.length, SegmentBytes.read(seg).length, "the torn bytes are gone from disk");
      LedgerEntry next = ledger.append(s.sign(s.insurer, new io.covenant.core.event.AuditEvent.JobDenied(io.covenant.core.id.JobId.random(), List.of("x"))));
      assertEquals(ledger.entries(7, 8).get(0).leafHash(), next.previous(), "the chain continues from the last intact entry");
    }
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey)) {
      assertEquals(events.size() + 1, ledger.size());
    }
    // The job event above refers to an unsubmitted job, so the audit fails there, but only there: the chain is whole.
    var report = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir));
    assertEquals(events.size(), report.failure().orElseThrow().index());
    assertTrue(report.failure().get().reason().contains("never submitted"), report.toString());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
