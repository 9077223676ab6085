package io.covenant.ledger.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where each entry's record starts, segment by segment. Guarded by the ledger's lock. */
final class SegmentIndex {

  static final class Segment {
    final long firstIndex;
    final Path file;
    final LongArray offsets = new LongArray();
    /** Logical end of the last record assigned to this segment (written or about to be). */
    long length;

    Segment(long firstIndex, Path file) {
      this.firstIndex = firstIndex;
      this.file = file;
    }

    long endIndex() {
      return firstIndex + offsets.size();
    }
  }

  private final List<Segment> segments = new ArrayList<>();

  Segment add(long firstIndex, Path file) {
    Segment s = new Segment(firstIndex, file);
    segments.add(s);
    return s;
  }

  Segment last() {
    return segments.get(segments.size() - 1);
  }

  /** The segment holding entry {@code index}. */
  Segment find(long index) {
    int lo = 0;
    int hi = segments.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (segments.get(mid).firstIndex <= index) lo = mid;
      else hi = mid - 1;
    }
    return segments.get(lo);
  }
}
