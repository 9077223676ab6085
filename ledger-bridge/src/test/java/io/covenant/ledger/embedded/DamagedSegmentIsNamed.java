package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.segment.LedgerDirectory;
import io.covenant.ledger.segment.SegmentFile;
import io.covenant.ledger.verify.LedgerExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage after the fact is never mistaken for a crash: open fails and says which entry in which file. */
class DamagedSegmentIsNamed {
  @TempDir Path dir;
  private final SigningKey logKey = SigningKey.generate();
  private int entries;

  @BeforeEach
  void writeALedgerOfSeveralSegments() {
    Scenario scenario = new Scenario();
    List<SignedEvent> events = scenario.lawfulHistory();
    entries = events.size();
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey, 4096)) {
      for (SignedEvent e : events) ledger.append(e);
      // Lawful denied jobs until the last segment holds a few entries, whatever the history's length.
      while (entries - LedgerDirectory.segments(dir).getLast().firstIndex() < 3) {
        for (SignedEvent e : scenario.deniedJob(io.covenant.core.id.JobId.random())) {
          ledger.append(e);
          entries++;
        }
      }
    }
    assertTrue(LedgerDirectory.segments(dir).size() >= 3, "the test needs several segments");
  }

  private IntegrityException openFails() {
    return assertThrows(IntegrityException.class, () -> EmbeddedLedger.open(dir, logKey, 4096).close());
  }

  private static void assertNames(IntegrityException e, long entry, Path segment) {
    String m = e.getMessage();
    assertTrue(m.contains("entry " + entry + " ") && m.contains(segment.getFileName().toString()), m);
  }

  /** An entry in the middle of the last segment: valid records follow it. */
  private long middleOfLastSegment() {
    List<LedgerDirectory.Segment> segs = LedgerDirectory.segments(dir);
    long first = segs.get(segs.size() - 1).firstIndex();
    assertTrue(entries - first >= 3, "the last segment needs at least 3 entries");
    return first + 1;
  }

  @Test
  void aFlippedPayloadByteInTheMiddleOfTheLastSegment() {
    long k = middleOfLastSegment();
    Path seg = SegmentBytes.segmentOf(dir, k).file();
    SegmentBytes.flipByte(seg, SegmentBytes.recordOffset(dir, k) + SegmentFile.HEADER_BYTES + 40);
    byte[] damaged = SegmentBytes.read(seg);
    IntegrityException e = openFails();
    assertNames(e, k, seg);
    assertTrue(e.getMessage().contains("not cut short by a crash"), e.getMessage());
    assertTrue(Arrays.equals(damaged, SegmentBytes.read(seg)), "the file is left exactly as found, for whoever restores it");
  }

  @Test
  void aFlippedLengthByteInTheMiddleOfTheLastSegment() {
    long k = middleOfLastSegment();
    Path seg = SegmentBytes.segmentOf(dir, k).file();
    byte[] before = SegmentBytes.read(seg);
    SegmentBytes.flipByte(seg, SegmentBytes.recordOffset(dir, k) + 2);
    assertNames(openFails(), k, seg);
    assertEquals(before.length, SegmentBytes.read(seg).length, "nothing was truncated");
  }

  @Test
  void theLastRecordOfAnEarlierSegment() {
    LedgerDirectory.Segment second = LedgerDirectory.segments(dir).get(1);
    long k = second.firstIndex() - 1;
    Path seg = SegmentBytes.segmentOf(dir, k).file();
    SegmentBytes.flipByte(seg, SegmentBytes.read(seg).length - 5);
    assertNames(openFails(), k, seg);
  }

  @Test
  void aMissingSegment() throws Exception {
    LedgerDirectory.Segment second = LedgerDirectory.segments(dir).get(1);
    Files.delete(second.file());
    IntegrityException e = openFails();
    assertTrue(e.getMessage().contains("entry " + second.firstIndex() + " was expected"), e.getMessage());
  }

  @Test
  void theOfflineReaderNamesItToo() {
    long k = middleOfLastSegment();
    Path seg = SegmentBytes.segmentOf(dir, k).file();
    SegmentBytes.flipByte(seg, SegmentBytes.recordOffset(dir, k) + SegmentFile.HEADER_BYTES + 40);
    IntegrityException e = assertThrows(IntegrityException.class, () -> LedgerExport.ofLedgerDirectory(dir));
    assertNames(e, k, seg);
  }

  @Test
  void aCleanCutThatLosesAcknowledgedEntriesIsNotMistakenForATornWrite() {
    LedgerDirectory.Segment last = LedgerDirectory.segments(dir).get(LedgerDirectory.segments(dir).size() - 1);
    byte[] b = SegmentBytes.read(last.file());
    int lastRecord = SegmentBytes.recordOffset(dir, entries - 1);
    // Damage the final record: on its own it looks like a torn write, but the checkpoint says it was acknowledged.
    SegmentBytes.write(last.file(), Arrays.copyOf(b, lastRecord + 20));
    IntegrityException e = openFails();
    assertTrue(e.getMessage().contains("acknowledged entries are missing"), e.getMessage());
  }

  @Test
  void anEntryRewrittenWithAValidChecksumBreaksTheChain() {
    long k = middleOfLastSegment();
    Path seg = SegmentBytes.segmentOf(dir, k).file();
    byte[] b = SegmentBytes.read(seg);
    int off = SegmentBytes.recordOffset(dir, k);
    int len = SegmentFile.headerLength(b, off);
    byte[] payload = Arrays.copyOfRange(b, off + SegmentFile.HEADER_BYTES, off + SegmentFile.HEADER_BYTES + len);
    String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    // Re-point the previous-hash (same length) and re-frame, as a careful forger would.
    String forged = text.replaceFirst("\"previous\":\"[0-9a-f]", "\"previous\":\"" + (text.contains("\"previous\":\"0") ? "1" : "0"));
    byte[] framed = SegmentFile.frame(forged.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    System.arraycopy(framed, 0, b, off, framed.length);
    SegmentBytes.write(seg, b);
    IntegrityException e = openFails();
    assertTrue(e.getMessage().contains("entry " + k + " ") && e.getMessage().contains("does not link"), e.getMessage());
  }
}
