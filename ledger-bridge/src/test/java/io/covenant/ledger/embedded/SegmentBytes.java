package io.covenant.ledger.embedded;

import io.covenant.ledger.segment.LedgerDirectory;
import io.covenant.ledger.segment.SegmentFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixture: finds and damages the bytes of one entry in a closed ledger's segment files. */
final class SegmentBytes {
  private SegmentBytes() {}

  /** The segment holding entry {@code index}. */
  static LedgerDirectory.Segment segmentOf(Path dir, long index) {
    LedgerDirectory.Segment found = null;
    for (LedgerDirectory.Segment s : LedgerDirectory.segments(dir)) if (s.firstIndex() <= index) found = s;
    return found;
  }

  /** Byte offset of entry {@code index}'s record header within its segment. */
  static int recordOffset(Path dir, long index) {
    LedgerDirectory.Segment s = segmentOf(dir, index);
    return SegmentFile.scan(read(s.file())).offset((int) (index - s.firstIndex()));
  }

  static void flipByte(Path file, int offset) {
    byte[] b = read(file);
    b[offset] ^= 0x20;
    write(file, b);
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
