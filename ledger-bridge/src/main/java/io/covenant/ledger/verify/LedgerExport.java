package io.covenant.ledger.verify;

import io.covenant.core.codec.Json;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.CosignedCheckpoint;
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
 * Everything an auditor needs to check a ledger offline: every entry (the organisations' public keys travel inside
 * their ORG_REGISTERED entries), the log's latest signed checkpoint, the earlier checkpoints it signed
 * ({@code history}), and the checkpoints witnesses cosigned ({@code witnessed}). Entries after the latest checkpoint
 * are included: the verifier checks them too and reports how many no checkpoint covers yet.
 *
 * <p>File form: JSON Lines, UTF-8. Line 1 is the latest checkpoint ({@link SignedCheckpoint#toJson()}); then any
 * earlier checkpoints (same form) and witnessed checkpoints ({@link CosignedCheckpoint#toJson()}, recognised by their
 * {@code cosignatures} member), oldest first; then one entry per line ({@link LedgerEntry#toJson()}) in index order.
 * A file of one checkpoint and its entries (the older form) still reads.
 */
public record LedgerExport(List<LedgerEntry> entries, SignedCheckpoint checkpoint, List<SignedCheckpoint> history, List<CosignedCheckpoint> witnessed) {

  public LedgerExport {
    if (entries == null || checkpoint == null) throw new MalformedInputException("a ledger export needs its entries and a checkpoint");
    entries = List.copyOf(entries);
    history = history == null ? List.of() : List.copyOf(history);
    witnessed = witnessed == null ? List.of() : List.copyOf(witnessed);
  }

  public LedgerExport(List<LedgerEntry> entries, SignedCheckpoint checkpoint) {
    this(entries, checkpoint, List.of(), List.of());
  }

  /** This export with other witnessed checkpoints (e.g. a rewritten log that keeps none). */
  public LedgerExport withWitnessed(List<CosignedCheckpoint> replacement) {
    return new LedgerExport(entries, checkpoint, history, replacement);
  }

  /** Reads an export; a line that does not parse fails with its line number. */
  public static LedgerExport read(Path file) {
    List<LedgerEntry> entries = new ArrayList<>();
    SignedCheckpoint checkpoint = null;
    List<SignedCheckpoint> history = new ArrayList<>();
    List<CosignedCheckpoint> witnessed = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lineNo++;
        if (line.isBlank()) continue;
        try {
          Json.JObject o = Json.parseObject(line);
          if (checkpoint == null) checkpoint = SignedCheckpoint.fromJson(o);
          else if (entries.isEmpty() && !o.has("event")) {
            if (CosignedCheckpoint.isCosigned(o)) witnessed.add(CosignedCheckpoint.fromJson(o));
            else history.add(SignedCheckpoint.fromJson(o));
          } else entries.add(LedgerEntry.fromJson(o));
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
    return new LedgerExport(entries, checkpoint, history, witnessed);
  }

  /** Writes the JSON Lines form: the latest checkpoint, earlier and witnessed checkpoints, then one entry per line. */
  public void write(Path file) {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(checkpoint.toJson().encode());
      w.write('\n');
      for (SignedCheckpoint cp : history) {
        w.write(cp.toJson().encode());
        w.write('\n');
      }
      for (CosignedCheckpoint cp : witnessed) {
        w.write(cp.toJson().encode());
        w.write('\n');
      }
      for (LedgerEntry e : entries) {
        w.write(e.toJson().encode());
        w.write('\n');
      }
    } catch (IOException e) {
      throw new LedgerStorageException("cannot write the ledger export " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an embedded ledger's directory directly, without opening (or trusting) the ledger: every entry, to the
   * last complete record (also those after the latest checkpoint, which the verifier checks and counts as not yet
   * covered), every persisted checkpoint and every witnessed checkpoint. A record damaged in the middle of a segment
   * fails with the entry and segment named; a cut-off record at the very end (an interrupted write, never
   * acknowledged) is ignored, as recovery would.
   */
  public static LedgerExport ofLedgerDirectory(Path dir) {
    try {
      List<SignedCheckpoint> checkpoints = checkpoints(dir);
      List<LedgerEntry> entries = new ArrayList<>();
      List<LedgerDirectory.Segment> segments = LedgerDirectory.segments(dir);
      for (int k = 0; k < segments.size(); k++) {
        LedgerDirectory.Segment s = segments.get(k);
        String name = s.file().getFileName().toString();
        SegmentFile.Scan scan = SegmentFile.scan(Files.readAllBytes(s.file()));
        long first = s.firstIndex();
        boolean damaged = scan.ending() == SegmentFile.Ending.DAMAGED || (scan.ending() == SegmentFile.Ending.TORN && k < segments.size() - 1);
        if (damaged) {
          throw new IntegrityException(
              "entry " + (first + scan.count()) + " in segment " + name + " of " + dir + " fails its checksum at byte " + scan.validLength()
                  + ": the segment was damaged; restore it from a backup");
        }
        for (int i = 0; i < scan.count(); i++) {
          try {
            entries.add(LedgerEntry.fromJson(Json.parseObject(scan.payload(i))));
          } catch (MalformedInputException e) {
            throw new MalformedInputException("entry " + (first + i) + " in segment " + name + " of " + dir + " does not parse: " + e.getMessage(), e);
          }
        }
      }
      SignedCheckpoint latest = checkpoints.get(checkpoints.size() - 1);
      return new LedgerExport(entries, latest, checkpoints.subList(0, checkpoints.size() - 1), witnessed(dir));
    } catch (IOException e) {
      throw new LedgerStorageException("cannot read the ledger directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<SignedCheckpoint> checkpoints(Path dir) throws IOException {
    Path f = LedgerDirectory.checkpointsFile(dir);
    if (!Files.exists(f)) {
      throw new MalformedInputException(dir + " holds no " + LedgerDirectory.CHECKPOINTS + ": it is not an embedded ledger directory, or it was never opened");
    }
    SegmentFile.Scan scan = SegmentFile.scan(Files.readAllBytes(f));
    if (scan.ending() == SegmentFile.Ending.DAMAGED) {
      throw new IntegrityException("checkpoint " + (scan.count() + 1) + " in " + f + " fails its checksum and valid checkpoints follow it: the file was damaged; restore it from a backup");
    }
    if (scan.count() == 0) throw new MalformedInputException(f + " holds no complete checkpoint; open and close the ledger to write one");
    List<SignedCheckpoint> out = new ArrayList<>(scan.count());
    for (int i = 0; i < scan.count(); i++) {
      try {
        out.add(SignedCheckpoint.fromJson(Json.parseObject(scan.payload(i))));
      } catch (MalformedInputException e) {
        throw new MalformedInputException("checkpoint " + (i + 1) + " in " + f + " does not parse: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * The latest checkpoint the witnesses cosigned, as recorded in the ledger directory's {@code witnessed.jsonl}, with
   * every cosignature recorded for it (a standalone witness's arrives on a line of its own), or empty if none has
   * been cosigned yet. Nothing is verified here: that is the auditor's part ({@code covenant verify --since}).
   */
  public static java.util.Optional<CosignedCheckpoint> latestWitnessed(Path ledgerDir) {
    try {
      return TreeHeads.merged(witnessed(ledgerDir)).stream().reduce((a, b) -> b.checkpoint().treeSize() >= a.checkpoint().treeSize() ? b : a);
    } catch (IOException e) {
      throw new LedgerStorageException("cannot read the witnessed checkpoints in " + ledgerDir + ": " + e.getMessage(), e);
    }
  }

  /** The witnessed checkpoints; a last line cut short (no newline: an interrupted append) is ignored. */
  static List<CosignedCheckpoint> witnessed(Path dir) throws IOException {
    Path f = LedgerDirectory.witnessedFile(dir);
    if (!Files.exists(f)) return List.of();
    String text = Files.readString(f, StandardCharsets.UTF_8);
    List<CosignedCheckpoint> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      if (lines[i].isBlank()) continue;
      try {
        out.add(CosignedCheckpoint.fromJson(Json.parseObject(lines[i])));
      } catch (MalformedInputException e) {
        throw new MalformedInputException("line " + (i + 1) + " of " + f + " is not a cosigned checkpoint: " + e.getMessage() + "; restore the file from a backup", e);
      }
    }
    return out;
  }
}
