package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.ledger.LedgerStorageException;
import io.covenant.ledger.Scenario;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneProcessOwnsTheLedger {
  @TempDir Path dir;
  private final SigningKey logKey = SigningKey.generate();
  private final Scenario s = new Scenario();

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey)) {
      LedgerStorageException e = assertThrows(LedgerStorageException.class, () -> EmbeddedLedger.open(dir, logKey));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
      ledger.append(s.register(s.hospitalA));
    }
    try (EmbeddedLedger again = EmbeddedLedger.open(dir, logKey)) {
      assertEquals(1, again.size());
    }
  }

  @Test
  void aLedgerOpensOnlyWithTheKeyThatSignsItsCheckpoints() {
    EmbeddedLedger.open(dir, logKey).close();
    LedgerStorageException e = assertThrows(LedgerStorageException.class, () -> EmbeddedLedger.open(dir, SigningKey.generate()));
    assertTrue(e.getMessage().contains("open it with the key it was created with"), e.getMessage());
    assertTrue(!e.getMessage().contains(java.util.HexFormat.of().formatHex(logKey.seedForKeystore())), "no private key in messages");
  }

  @Test
  void aClosedLedgerAcceptsNothing() {
    EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey);
    ledger.close();
    ledger.close();
    LedgerStorageException e = assertThrows(LedgerStorageException.class, () -> ledger.append(s.register(s.hospitalA)));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
