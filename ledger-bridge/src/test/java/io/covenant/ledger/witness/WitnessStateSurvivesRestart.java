package io.covenant.ledger.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.ledger.ConsistencyProof;
import io.covenant.ledger.LedgerStorageException;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.merkle.MerkleTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restarted witness remembers what it cosigned, so restarting it is no way to make it forget a rollback. */
class WitnessStateSurvivesRestart {
  @TempDir Path dir;

  @Test
  void theLatestCheckpointAndTheKeyComeBack() throws Exception {
    Scenario s = new Scenario();
    SigningKey logKey = s.operator.signingKey();
    MerkleTree t = WitnessRefusesForkAndRollback.tree(s.lawfulHistory());
    Witness first = Witness.create(dir, "insurer-x", logKey.verifyingKey());
    SignedCheckpoint cp = WitnessRefusesForkAndRollback.head(t, 20, logKey);
    first.cosign(cp, new ConsistencyProof(0, 20, List.of()));

    Witness again = Witness.open(dir);
    assertEquals("insurer-x", again.name());
    assertEquals(first.publicKey(), again.publicKey());
    assertEquals(cp, again.latest().orElseThrow());
    WitnessRefusedException e = assertThrows(WitnessRefusedException.class,
        () -> again.cosign(WitnessRefusesForkAndRollback.head(t, 12, logKey), new ConsistencyProof(20, 12, List.of())));
    assertEquals(WitnessRefusedException.Reason.ROLLBACK, e.reason());
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".partial")), "state is replaced atomically, leaving no partial file");
    }
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("witness.key"))));
    }
    LedgerStorageException twice = assertThrows(LedgerStorageException.class, () -> Witness.create(dir, "insurer-x", logKey.verifyingKey()));
    assertTrue(twice.getMessage().contains("already holds a witness"), twice.getMessage());
  }
}
