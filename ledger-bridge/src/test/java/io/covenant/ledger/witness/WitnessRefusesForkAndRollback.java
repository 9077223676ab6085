package io.covenant.ledger.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.ConsistencyProof;
import io.covenant.ledger.Cosignature;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.merkle.MerkleTree;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A witness cosigns only append-only growth of the one log it follows, and names what else it was shown. */
class WitnessRefusesForkAndRollback {
  @TempDir Path dir;
  final Scenario s = new Scenario();
  final SigningKey logKey = s.operator.signingKey();
  final List<SignedEvent> history = s.lawfulHistory();

  @Test
  void growthIsCosignedAndTheCosignatureVerifies() {
    Witness w = Witness.create(dir, "hospital-a", logKey.verifyingKey());
    MerkleTree t = tree(history);
    SignedCheckpoint at10 = head(t, 10, logKey);
    Cosignature c = w.cosign(at10, new ConsistencyProof(0, 10, List.of()));
    assertTrue(c.verifies(at10));
    SignedCheckpoint atAll = head(t, history.size(), logKey);
    assertTrue(w.cosign(atAll, new ConsistencyProof(10, history.size(), t.consistencyPath(10, history.size()))).verifies(atAll));
    assertEquals(history.size(), w.latestSize());
  }

  @Test
  void aRollbackIsRefused() {
    Witness w = Witness.create(dir, "hospital-a", logKey.verifyingKey());
    MerkleTree t = tree(history);
    w.cosign(head(t, 20, logKey), new ConsistencyProof(0, 20, List.of()));
    WitnessRefusedException e = assertThrows(WitnessRefusedException.class,
        () -> w.cosign(head(t, 15, logKey), new ConsistencyProof(20, 15, List.of())));
    assertEquals(WitnessRefusedException.Reason.ROLLBACK, e.reason());
    assertTrue(e.getMessage().contains("rolled back") && e.getMessage().contains("entries 15 to 19"), e.getMessage());
    assertEquals(20, w.latestSize(), "a refusal changes nothing");
  }

  @Test
  void aForkIsRefusedAtTheSameSizeAndWhenItGrows() {
    Witness w = Witness.create(dir, "hospital-a", logKey.verifyingKey());
    MerkleTree honest = tree(history);
    w.cosign(head(honest, 20, logKey), new ConsistencyProof(0, 20, List.of()));
    List<SignedEvent> rewritten = new ArrayList<>(history);
    SignedEvent old = rewritten.get(12);
    rewritten.set(12, SignedEvent.sign(old.event(), old.actor(), actorKey(old), old.issuedAt().plusSeconds(1)));
    MerkleTree forked = tree(rewritten);

    WitnessRefusedException same = assertThrows(WitnessRefusedException.class,
        () -> w.cosign(head(forked, 20, logKey), new ConsistencyProof(20, 20, List.of())));
    assertEquals(WitnessRefusedException.Reason.FORK, same.reason());
    int n = history.size();
    WitnessRefusedException grown = assertThrows(WitnessRefusedException.class,
        () -> w.cosign(head(forked, n, logKey), new ConsistencyProof(20, n, forked.consistencyPath(20, n))));
    assertEquals(WitnessRefusedException.Reason.FORK, grown.reason());
    assertTrue(grown.getMessage().contains("consistency proof") && grown.getMessage().contains("fork"), grown.getMessage());
  }

  @Test
  void aProofFromAnotherSizeAndAnotherLogAreRefused() {
    Witness w = Witness.create(dir, "hospital-a", logKey.verifyingKey());
    MerkleTree t = tree(history);
    w.cosign(head(t, 10, logKey), new ConsistencyProof(0, 10, List.of()));
    WitnessRefusedException conflict = assertThrows(WitnessRefusedException.class,
        () -> w.cosign(head(t, 20, logKey), new ConsistencyProof(5, 20, t.consistencyPath(5, 20))));
    assertEquals(WitnessRefusedException.Reason.CONFLICT, conflict.reason());
    assertTrue(conflict.getMessage().contains("from 10"), conflict.getMessage());
    WitnessRefusedException foreign = assertThrows(WitnessRefusedException.class,
        () -> w.cosign(head(t, 20, SigningKey.generate()), new ConsistencyProof(10, 20, t.consistencyPath(10, 20))));
    assertEquals(WitnessRefusedException.Reason.NOT_THE_LOG, foreign.reason());
  }

  private SigningKey actorKey(SignedEvent e) {
    for (var c : List.of(s.hospitalA, s.hospitalB, s.insurer, s.operator)) if (c.org().equals(e.actor())) return c.signingKey();
    throw new AssertionError(e.actor().toString());
  }

  static MerkleTree tree(List<SignedEvent> events) {
    return MerkleTree.of(Scenario.chain(events).stream().map(LedgerEntry::leafHash).toList());
  }

  static SignedCheckpoint head(MerkleTree t, long size, SigningKey key) {
    return SignedCheckpoint.sign(size, t.root(size), Instant.now(), key);
  }
}
