package io.covenant.ledger.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node remembers the last checkpoint it verified in two slots written in turn (one data sync each): a crash that
 * tears the slot being written leaves the other, one checkpoint older, so the node still starts and still refuses a
 * log rolled back below what it remembers; a slot holding a checkpoint the log key did not sign is an edit, refused by
 * name; and nothing readable in either slot is refused too.
 */
class MirrorStateSurvivesATornWriteButNotAnEdit {
  @TempDir Path dir;
  private final Scenario s = new Scenario();

  private static final class Source implements LedgerSource {
    final EmbeddedLedger ledger;
    long served = Long.MAX_VALUE;

    Source(EmbeddedLedger ledger) {
      this.ledger = ledger;
    }

    /** Serves the log as if it had only {@code served} entries (an operator restoring an old copy). */
    @Override
    public SignedCheckpoint checkpoint() {
      SignedCheckpoint cp = ledger.checkpoint();
      if (served >= cp.treeSize()) return cp;
      return SignedCheckpoint.sign(served, io.covenant.ledger.merkle.MerkleTree.of(ledger.entries(0, served).stream().map(LedgerEntry::leafHash).toList()).root(),
          Instant.now(), operatorKey);
    }

    SigningKey operatorKey;

    @Override public List<LedgerEntry> entries(long from, long to) { return ledger.entries(from, Math.min(to, Math.min(served, ledger.size()))); }
    @Override public LedgerEntry append(SignedEvent event) { return ledger.append(event); }
    @Override public String describe() { return "the test coordinator"; }
  }

  private Source source() {
    EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), s.operator.signingKey());
    s.setup().forEach(ledger::append);
    Source source = new Source(ledger);
    source.operatorKey = s.operator.signingKey();
    return source;
  }

  private MirroredLedger open(Source source) {
    return new MirroredLedger(source, s.operator.signingKey().verifyingKey(), Optional.of(dir.resolve("mirror.json")));
  }

  /** Appends through a mirror twice, so both slots hold a checkpoint (sizes 9 and 10 after the 8 set-up entries). */
  private void appendTwice(Source source) {
    try (MirroredLedger m = open(source)) {
      m.append(s.submitted(JobId.random(), io.covenant.core.job.Engine.TEE));
      m.append(s.submitted(JobId.random(), io.covenant.core.job.Engine.TEE));
    }
  }

  private Path newer() throws Exception {
    Path a = dir.resolve("mirror.json");
    Path b = dir.resolve("mirror.json.alt");
    long sa = SignedCheckpoint.fromJson(io.covenant.core.codec.Json.parseObject(Files.readAllBytes(a))).treeSize();
    long sb = SignedCheckpoint.fromJson(io.covenant.core.codec.Json.parseObject(Files.readAllBytes(b))).treeSize();
    return sa > sb ? a : b;
  }

  @Test
  void aTornSlotFallsBackToTheOtherAndRollbackIsStillRefused() throws Exception {
    Source source = source();
    appendTwice(source);
    Path torn = newer();
    Files.write(torn, Files.readAllBytes(torn).length > 20 ? java.util.Arrays.copyOf(Files.readAllBytes(torn), 20) : new byte[0]);
    // The node starts: the other slot remembers 9 entries.
    open(source).close();
    // An operator who serves 8 entries is still caught, by the older slot.
    source.served = 8;
    var e = assertThrows(IntegrityException.class, () -> open(source));
    assertTrue(e.getMessage().contains("rollback"), e.getMessage());
  }

  @Test
  void aSlotSignedByAnotherKeyIsAnEdit() throws Exception {
    Source source = source();
    appendTwice(source);
    Path edited = newer();
    SignedCheckpoint forged = SignedCheckpoint.sign(3, source.ledger.checkpoint().rootHash(), Instant.now(), SigningKey.generate());
    Files.writeString(edited, forged.toJson().encode());
    var e = assertThrows(IntegrityException.class, () -> open(source));
    assertTrue(e.getMessage().contains("it was edited") && e.getMessage().contains(edited.getFileName().toString()), e.getMessage());
  }

  @Test
  void noReadableSlotIsRefused() throws Exception {
    Source source = source();
    appendTwice(source);
    Files.write(dir.resolve("mirror.json"), new byte[] {'{'});
    Files.write(dir.resolve("mirror.json.alt"), new byte[0]);
    var e = assertThrows(IntegrityException.class, () -> open(source));
    assertTrue(e.getMessage().contains("no readable checkpoint"), e.getMessage());
  }

  @Test
  void slotsAreWrittenInTurn() throws Exception {
    Source source = source();
    appendTwice(source);
    long a = SignedCheckpoint.fromJson(io.covenant.core.codec.Json.parseObject(Files.readAllBytes(dir.resolve("mirror.json")))).treeSize();
    long b = SignedCheckpoint.fromJson(io.covenant.core.codec.Json.parseObject(Files.readAllBytes(dir.resolve("mirror.json.alt")))).treeSize();
    assertEquals(1, Math.abs(a - b), "each append remembers in the other slot");
    assertEquals(10, Math.max(a, b));
  }
}
