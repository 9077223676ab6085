package io.covenant.ledger.verify;

import io.covenant.core.codec.Json;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.LedgerStorageException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.segment.LedgerDirectory;
import io.covenant.ledger.segment.SegmentFile;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything an auditor needs to check a ledger offline: the log's signed checkpoint and every entry it covers (the
 * organisations' public keys travel inside their ORG_REGISTERED entries).
 *
 * <p>File form: JSON Lines, UTF-8; line 1 is the checkpoint ({@link SignedCheckpoint#toJson()}), then one entry per
 * line ({@link LedgerEntry#toJson()}) in index order.
 */
public record LedgerExport(List<LedgerEntry> entries, SignedCheckpoint checkpoint) {

  public LedgerExport {
    if (entries == null || checkpoint == null) throw new MalformedInputException("a ledger export needs its entries and a checkpoint");
    entries = List.copyOf(entries);
  }

  /** Reads an export; a line that does not parse fails with its line number. */
  public static LedgerExport read(Path file) {
    List<LedgerEntry> entries = new ArrayList<>();
    SignedCheckpoint checkpoint = null;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lineNo++;
        if (line.isBlank()) continue;
        try {
          Json.JObject o = Json.parseObject(line);
          if (checkpoint == null) checkpoint = SignedCheckpoint.fromJson(o);
          else entries.add(LedgerEntry.fromJson(o));
        } catch (MalformedInputException e) {
          String what = checkpoint == null ? "the checkpoint" : "entry " + entries.size();
          throw new MalformedInputException(
              "ledger export " + file + ", line " + lineNo + " (" + what + "): " + e.getMessage() + "; re-export the ledger or fix the line", e);
        }
      }
    } catch (NoSuchFileException e) {
      throw new LedgerStorageException("ledger export " + file + " does not exist; export it from the ledger first");
    } catch (IOException e) {
      throw new MalformedInputException("ledger export " + file + " cannot be read as UTF-8 text: " + e.getMessage(), e);
    }
    if (checkpoint == null) {
      throw new MalformedInputException("ledger export " + file + ", line 1: the file is empty; its first line must be the log's signed checkpoint");
    }
    return new LedgerExport(entries, checkpoint);
  }

  /** Writes the JSON Lines form: first the checkpoint, then one entry per line. */
  public void write(Path file) {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(checkpoint.toJson().encode());
      w.write('\n');
      for (LedgerEntry e : entries) {
        w.write(e.toJson().encode());
        w.write('\n');
      }
    } catch (IOException e) {
      throw new LedgerStorageException("cannot write the ledger export " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an embedded ledger's directory directly, without opening (or trusting) the ledger: the latest persisted
   * checkpoint and the entries it covers. Entries appended after that checkpoint are not included (the log has
   * not vouched for them yet; a closed ledger always has). A record damaged in the middle of a segment fails with
   * the entry and segment named; a cut-off record at the end (an interrupted write) is ignored, as recovery would.
   */
  public static LedgerExport ofLedgerDirectory(Path dir) {
    try {
      SignedCheckpoint checkpoint = latestCheckpoint(dir);
      List<LedgerEntry> entries = new ArrayList<>();
      List<LedgerDirectory.Segment> segments = LedgerDirectory.segments(dir);
      for (int k = 0; k < segments.size() && entries.size() < checkpoint.treeSize(); k++) {
        LedgerDirectory.Segment s = segments.get(k);
        String name = s.file().getFileName().toString();
        SegmentFile.Scan scan = SegmentFile.scan(Files.readAllBytes(s.file()));
        long first = s.firstIndex();
        boolean damaged = scan.ending() == SegmentFile.Ending.DAMAGED || (scan.ending() == SegmentFile.Ending.TORN && k < segments.size() - 1);
        if (damaged && first + scan.count() < checkpoint.treeSize()) {
          throw new IntegrityException(
              "entry " + (first + scan.count()) + " in segment " + name + " of " + dir + " fails its checksum at byte " + scan.validLength()
                  + ": the segment was damaged; restore it from a backup");
        }
        for (int i = 0; i < scan.count() && entries.size() < checkpoint.treeSize(); i++) {
          try {
            entries.add(LedgerEntry.fromJson(Json.parseObject(scan.payload(i))));
          } catch (MalformedInputException e) {
            throw new MalformedInputException("entry " + (first + i) + " in segment " + name + " of " + dir + " does not parse: " + e.getMessage(), e);
          }
        }
      }
      return new LedgerExport(entries, checkpoint);
    } catch (IOException e) {
      throw new LedgerStorageException("cannot read the ledger directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static SignedCheckpoint latestCheckpoint(Path dir) throws IOException {
    Path f = LedgerDirectory.checkpointsFile(dir);
    if (!Files.exists(f)) {
      throw new MalformedInputException(dir + " holds no " + LedgerDirectory.CHECKPOINTS + ": it is not an embedded ledger directory, or it was never opened");
    }
    SegmentFile.Scan scan = SegmentFile.scan(Files.readAllBytes(f));
    if (scan.ending() == SegmentFile.Ending.DAMAGED) {
      throw new IntegrityException("checkpoint " + (scan.count() + 1) + " in " + f + " fails its checksum and valid checkpoints follow it: the file was damaged; restore it from a backup");
    }
    if (scan.count() == 0) throw new MalformedInputException(f + " holds no complete checkpoint; open and close the ledger to write one");
    try {
      return SignedCheckpoint.fromJson(Json.parseObject(scan.payload(scan.count() - 1)));
    } catch (MalformedInputException e) {
      throw new MalformedInputException("the last checkpoint in " + f + " does not parse: " + e.getMessage(), e);
    }
  }
}
