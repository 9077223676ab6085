package io.covenant.ledger.segment;

import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.LedgerStorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layout of an embedded ledger's directory:
 *
 * <pre>
 *   segments/00000000000000000000.seg   entries from index 0, framed by {@link SegmentFile}
 *   segments/00000000000000004711.seg   entries from index 4711, ...
 *   checkpoints.log                     signed checkpoints, oldest first, framed the same way
 *   witnessed.jsonl                     checkpoints with witnesses' cosignatures, oldest first, one JSON per line
 *   LOCK                                held by the process that has the ledger open
 * </pre>
 *
 * A segment is named for the index of its first entry, so a missing segment shows as a gap in the indexes.
 */
public final class LedgerDirectory {
  public static final String SEGMENTS = "segments";
  public static final String CHECKPOINTS = "checkpoints.log";
  public static final String LOCK = "LOCK";
  /** The witnessed (cosigned) checkpoints, JSON Lines, oldest first; written by the operator's cosigning rounds. */
  public static final String WITNESSED = "witnessed.jsonl";
  private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.seg");

  private LedgerDirectory() {}

  /** A segment file and the index of its first entry. */
  public record Segment(long firstIndex, Path file) {}

  public static Path segmentsDir(Path ledgerDir) {
    return ledgerDir.resolve(SEGMENTS);
  }

  public static Path segmentFile(Path ledgerDir, long firstIndex) {
    return segmentsDir(ledgerDir).resolve(String.format("%020d.seg", firstIndex));
  }

  public static Path witnessedFile(Path ledgerDir) {
    return ledgerDir.resolve(WITNESSED);
  }

  public static Path checkpointsFile(Path ledgerDir) {
    return ledgerDir.resolve(CHECKPOINTS);
  }

  /** The segments in index order; a file in segments/ that is not named like a segment is an error, not ignored. */
  public static List<Segment> segments(Path ledgerDir) {
    Path dir = segmentsDir(ledgerDir);
    if (!Files.isDirectory(dir)) return List.of();
    List<Segment> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Matcher m = SEGMENT_NAME.matcher(f.getFileName().toString());
        if (!m.matches()) {
          throw new MalformedInputException(
              "file " + f + " does not belong in a ledger's segments directory: segments are named <20-digit first index>.seg; move it elsewhere");
        }
        out.add(new Segment(Long.parseLong(m.group(1)), f));
      }
    } catch (IOException e) {
      throw new LedgerStorageException("cannot list the ledger segments in " + dir + ": " + e.getMessage() + "; check the directory exists and is readable", e);
    }
    out.sort(Comparator.comparingLong(Segment::firstIndex));
    return out;
  }
}
