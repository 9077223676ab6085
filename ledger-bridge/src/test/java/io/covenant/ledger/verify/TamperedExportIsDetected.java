package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.merkle.MerkleTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever is done to an exported ledger, the verifier finds the first place it went wrong. */
class TamperedExportIsDetected {
  @TempDir Path dir;
  private final Scenario s = new Scenario();
  private final SigningKey logKey = SigningKey.generate();
  private List<String> lines;
  private int keyReleased;

  @BeforeEach
  void export() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), logKey)) {
      for (SignedEvent e : s.lawfulHistory()) ledger.append(e);
      ledger.export(file);
    }
    lines = new ArrayList<>(Files.readAllLines(file));
    keyReleased = -1;
    for (int i = 1; i < lines.size() && keyReleased < 0; i++) if (lines.get(i).contains("KEY_RELEASED")) keyReleased = i - 1;
  }

  private VerificationReport.Failure verifyLines() throws IOException {
    Path f = dir.resolve("tampered.jsonl");
    Files.write(f, lines);
    VerificationReport r = LedgerVerifier.verify(LedgerExport.read(f), logKey.verifyingKey());
    return r.failure().orElseThrow(() -> new AssertionError("tampering went unnoticed"));
  }

  private static void assertSays(VerificationReport.Failure f, String... fragments) {
    for (String x : fragments) assertTrue(f.reason().contains(x), "'" + f.reason() + "' should say " + x);
  }

  @Test
  void anAlteredEventFailsItsSignature() throws IOException {
    int line = keyReleased + 1;
    lines.set(line, lines.get(line).replace(s.enclave.hex(), s.otherEnclave.hex()));
    VerificationReport.Failure f = verifyLines();
    assertEquals(keyReleased, f.index());
    assertEquals("KEY_RELEASED", f.eventType());
    assertEquals("entry " + keyReleased + " (KEY_RELEASED): signature by hospital-a does not verify: the entry was altered or forged", f.reason());
  }

  @Test
  void anAlteredEventWithTheChainRebuiltStillFailsItsSignature() {
    List<LedgerEntry> entries = new ArrayList<>(LedgerExport.read(writeLines()).entries());
    List<SignedEvent> events = new ArrayList<>(entries.stream().map(LedgerEntry::event).toList());
    SignedEvent real = events.get(keyReleased);
    events.set(keyReleased, SignedEvent.fromJson(io.covenant.core.codec.Json.parseObject(real.toJson().encode().replace(s.enclave.hex(), s.otherEnclave.hex()))));
    // A forger who controls the log can re-link and re-checkpoint everything, but cannot sign as hospital-a.
    VerificationReport r = LedgerVerifier.verify(Scenario.export(Scenario.chain(events), logKey));
    assertEquals(keyReleased, r.failure().orElseThrow().index());
    assertSays(r.failure().get(), "signature by hospital-a does not verify");
  }

  @Test
  void swappedEntriesAreDetectedWhereTheOrderBreaks() throws IOException {
    Collections.swap(lines, 5, 6); // entries 4 and 5
    VerificationReport.Failure f = verifyLines();
    assertEquals(4, f.index());
    assertSays(f, "entry 5 stands where entry 4 belongs", "removed or reordered");
  }

  @Test
  void aDroppedEntryIsDetectedWhereItWasMissing() throws IOException {
    lines.remove(7); // entry 6
    VerificationReport.Failure f = verifyLines();
    assertEquals(6, f.index());
    assertSays(f, "entry 7 stands where entry 6 belongs");
  }

  @Test
  void aDroppedEntryWithTheRestRenumberedBreaksTheHashLink() {
    List<LedgerEntry> entries = new ArrayList<>(LedgerExport.read(writeLines()).entries());
    entries.remove(6);
    List<LedgerEntry> renumbered = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) renumbered.add(new LedgerEntry(i, entries.get(i).event(), entries.get(i).previous()));
    VerificationReport r = LedgerVerifier.verify(Scenario.export(renumbered, logKey));
    assertEquals(6, r.failure().orElseThrow().index());
    assertSays(r.failure().get(), "does not link to entry 5");
  }

  @Test
  void aDroppedLastEntryFailsTheCheckpoint() throws IOException {
    lines.remove(lines.size() - 1);
    VerificationReport.Failure f = verifyLines();
    assertEquals(lines.size() - 1, f.index(), "the first missing entry is named");
    assertEquals(VerificationReport.CHECKPOINT, f.eventType());
    assertSays(f, "entries at the end are missing");
  }

  @Test
  void anEntryAfterTheCheckpointIsCheckedAndCountedAsNotYetCovered() {
    LedgerExport real = LedgerExport.read(writeLines());
    List<SignedEvent> events = new ArrayList<>(real.entries().stream().map(LedgerEntry::event).toList());
    events.add(s.register(io.covenant.core.crypto.OrgCredentials.generate(io.covenant.core.id.OrgId.of("late"))));
    VerificationReport r = LedgerVerifier.verify(new LedgerExport(Scenario.chain(events), real.checkpoint()));
    assertTrue(r.ok(), r.toString());
    assertEquals(1, r.uncovered());
    SignedEvent late = events.get(events.size() - 1);
    events.set(events.size() - 1, new SignedEvent(late.event(), late.actor(), late.issuedAt().plusSeconds(1), late.signature()));
    VerificationReport forged = LedgerVerifier.verify(new LedgerExport(Scenario.chain(events), real.checkpoint()));
    assertEquals(events.size() - 1, forged.failure().orElseThrow().index(), forged.toString());
  }

  @Test
  void aCheckpointOverOtherEntriesFailsTheRootComparison() {
    LedgerExport real = LedgerExport.read(writeLines());
    SignedCheckpoint wrongRoot = SignedCheckpoint.sign(real.checkpoint().treeSize(), MerkleTree.emptyRoot(), Instant.now(), logKey);
    VerificationReport r = LedgerVerifier.verify(new LedgerExport(real.entries(), wrongRoot), logKey.verifyingKey());
    assertSays(r.failure().orElseThrow(), "the Merkle root over the first", "altered after the checkpoint was signed");
  }

  @Test
  void anAlteredCheckpointFailsItsSignature() throws IOException {
    lines.set(0, lines.get(0).replace("\"at\":\"", "\"at\":\"1").replace("\"at\":\"12026", "\"at\":\"2027"));
    VerificationReport.Failure f = verifyLines();
    assertSays(f, "does not verify: the checkpoint was altered or forged");
  }

  @Test
  void aCheckpointByAnotherLogKeyIsNotTrusted() {
    LedgerExport real = LedgerExport.read(writeLines());
    SigningKey other = SigningKey.generate();
    LedgerExport resigned = Scenario.export(real.entries(), other);
    assertTrue(LedgerVerifier.verify(resigned).ok(), "self-consistent, so only a pinned key can tell");
    VerificationReport r = LedgerVerifier.verify(resigned, logKey.verifyingKey());
    assertSays(r.failure().orElseThrow(), "not the trusted log key", "does not come from the log you trust");
  }

  private Path writeLines() {
    try {
      Path f = dir.resolve("copy.jsonl");
      Files.write(f, lines);
      return f;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
