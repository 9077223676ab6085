package io.covenant.tee.keyrelease;

import io.covenant.core.keyrelease.KeyService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.EventType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrongKekIsReportedClearly {
  @TempDir Path dir;

  @Test
  void aWrongKeyEncryptionKeyFailsNamingTheOwnerKeyAndReleasesNothing() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      KeyService wrong = s.consortium.keyService(s.owner, KeyEncryptionKey.generate(), s.consortium.verifierTrustingSimulation());
      long before = s.consortium.ledger.size();
      IntegrityException x = assertThrows(IntegrityException.class, () -> wrong.release(s.request()));
      assertTrue(x.getMessage().contains("owner key is wrong"), x.getMessage());
      assertTrue(x.getMessage().contains(s.dataset.toString()), x.getMessage());
      assertEquals(before, s.consortium.ledger.size());
      assertTrue(s.consortium.ledger.entriesForJob(s.job.id()).stream()
          .noneMatch(e -> e.event().event().type() == EventType.KEY_RELEASED));
    }
  }
}
