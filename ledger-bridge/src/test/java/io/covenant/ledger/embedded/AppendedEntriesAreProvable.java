package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.ConsistencyProof;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.core.codec.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendedEntriesAreProvable {
  @TempDir Path dir;
  private final SigningKey logKey = SigningKey.generate();
  private final Scenario s = new Scenario();

  @Test
  void everyEntryIsReturnedLinkedAndProvableAgainstACheckpoint() {
    JobId job = JobId.random();
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey)) {
      List<LedgerEntry> appended = new ArrayList<>();
      for (SignedEvent e : s.setup()) appended.add(ledger.append(e));
      SignedCheckpoint early = ledger.checkpoint();
      for (SignedEvent e : s.teeJob(job)) appended.add(ledger.append(e));
      SignedCheckpoint late = ledger.checkpoint();

      assertEquals(19, ledger.size());
      assertEquals(appended, ledger.entries(0, ledger.size()));
      for (int i = 0; i < appended.size(); i++) {
        LedgerEntry e = appended.get(i);
        assertEquals(i, e.index());
        assertEquals(i == 0 ? LedgerEntry.NO_PREVIOUS : appended.get(i - 1).leafHash(), e.previous());
      }
      assertEquals(appended.subList(8, 19), ledger.entriesForJob(job));
      assertTrue(ledger.entriesForJob(JobId.random()).isEmpty());
      assertEquals(s.hospitalA.signingKey().verifyingKey(), ledger.organisation(s.hospitalA.org()).orElseThrow().signingKey());
      assertTrue(ledger.organisation(OrgId.of("nobody")).isEmpty());

      assertTrue(early.verify() && late.verify());
      assertEquals(logKey.verifyingKey(), late.logKey());
      assertEquals(8, early.treeSize());
      for (LedgerEntry e : appended) {
        InclusionProof p = ledger.proveInclusion(e.index(), late.treeSize());
        assertTrue(p.verify(e.leafHash(), late.rootHash()), "entry " + e.index());
        assertFalse(p.verify(appended.get((int) ((e.index() + 1) % 19)).leafHash(), late.rootHash()));
        // Proofs travel as JSON.
        assertEquals(p, InclusionProof.fromJson(Json.parseObject(p.toJson().encode())));
      }
      ConsistencyProof c = ledger.proveConsistency(early.treeSize(), late.treeSize());
      assertTrue(c.verify(early.rootHash(), late.rootHash()));
      assertEquals(c, ConsistencyProof.fromJson(Json.parseObject(c.toJson().encode())));
      assertEquals(late, SignedCheckpoint.fromJson(Json.parseObject(late.toJson().encode())));
      assertEquals(late, ledger.checkpoint(), "no new entries, same tree head");
    }
  }

  @Test
  void proofsBeyondTheLedgerAreRefusedWithTheSizes() {
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey)) {
      for (SignedEvent e : s.setup()) ledger.append(e);
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> ledger.proveInclusion(3, 9));
      assertTrue(e.getMessage().contains("tree of 9 entries") && e.getMessage().contains("8"), e.getMessage());
      assertThrows(MalformedInputException.class, () -> ledger.proveConsistency(5, 4));
      assertThrows(MalformedInputException.class, () -> ledger.entries(3, 9));
    }
  }
}
