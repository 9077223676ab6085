package io.covenant.ledger;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.merkle.MerkleTree;
import io.covenant.ledger.segment.LedgerDirectory;
import io.covenant.ledger.segment.SegmentFile;
import io.covenant.ledger.verify.LedgerExport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Test fixture: what an insider with the operator's data directory (and, for the worst case, the operator's own
 * signing key) can do to a closed embedded ledger's files. Every change keeps the files well-formed (checksums,
 * canonical JSON, hash links re-computed), so only the cryptographic checks can notice.
 */
public final class Insider {
  private final Path dir;

  public Insider(Path ledgerDir) {
    this.dir = ledgerDir;
  }

  public List<SignedEvent> events() {
    return LedgerExport.ofLedgerDirectory(dir).entries().stream().map(LedgerEntry::event).toList();
  }

  /** Replaces the segments with exactly {@code events}, correctly indexed and re-linked, in one segment. */
  public void writeLog(List<SignedEvent> events) {
    try {
      for (LedgerDirectory.Segment s : LedgerDirectory.segments(dir)) Files.delete(s.file());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (LedgerEntry e : Scenario.chain(events)) out.write(SegmentFile.frame(e.leafBytes()));
      Files.write(LedgerDirectory.segmentFile(dir, 0), out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes entry {@code index}'s event but keeps its old signature (an insider without the actor's key), re-linking the rest. */
  public void editKeepingSignature(int index, UnaryOperator<AuditEvent> change) {
    List<SignedEvent> all = new ArrayList<>(events());
    SignedEvent old = all.get(index);
    all.set(index, new SignedEvent(change.apply(old.event()), old.actor(), old.issuedAt(), old.signature()));
    writeLog(all);
  }

  /** Changes entry {@code index} and re-signs it with {@code actorKey} (the operator re-signing its own events), re-linking the rest. */
  public void editAndResign(int index, UnaryOperator<AuditEvent> change, SigningKey actorKey) {
    List<SignedEvent> all = new ArrayList<>(events());
    SignedEvent old = all.get(index);
    all.set(index, SignedEvent.sign(change.apply(old.event()), old.actor(), actorKey, old.issuedAt()));
    writeLog(all);
  }

  /** Keeps the first {@code size} entries only. */
  public void truncate(int size) {
    writeLog(events().subList(0, size));
  }

  public int checkpointCount() {
    return SegmentFile.scan(read(LedgerDirectory.checkpointsFile(dir))).count();
  }

  /** Keeps only the first {@code n} records of checkpoints.log. */
  public void keepCheckpoints(int n) {
    Path f = LedgerDirectory.checkpointsFile(dir);
    byte[] data = read(f);
    SegmentFile.Scan scan = SegmentFile.scan(data);
    int end = n >= scan.count() ? data.length : scan.offset(n);
    write(f, java.util.Arrays.copyOf(data, end));
  }

  /** Replaces checkpoints.log with one checkpoint over the segments as they are now, signed with {@code logKey}. */
  public SignedCheckpoint resignCheckpoints(SigningKey logKey) {
    List<LedgerEntry> entries = Scenario.chain(events());
    MerkleTree t = MerkleTree.of(entries.stream().map(LedgerEntry::leafHash).toList());
    SignedCheckpoint cp = SignedCheckpoint.sign(entries.size(), t.root(), Instant.now(), logKey);
    write(LedgerDirectory.checkpointsFile(dir), SegmentFile.frame(cp.toJson().canonicalBytes()));
    return cp;
  }

  /** Deletes the record of witnessed checkpoints (the operator hiding what the witnesses saw). */
  public void dropWitnessed() {
    try {
      Files.deleteIfExists(LedgerDirectory.witnessedFile(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path f, byte[] b) {
    try {
      Files.write(f, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
