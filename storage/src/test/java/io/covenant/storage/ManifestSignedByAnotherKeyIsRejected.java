package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.dataset.DatasetReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestSignedByAnotherKeyIsRejected {
  @TempDir Path dir;

  @Test
  void aManifestSignedByAnImpostorIsRefusedNamingTheDataset() {
    LocalBlockstore store = new LocalBlockstore(dir);
    SigningKey owner = SigningKey.generate();
    SigningKey impostor = SigningKey.generate();
    Published forged = Published.into(store, "hospital-a/claims@7", DataKey.generate(), impostor, 500, 500, 0);

    IntegrityException e = assertThrows(IntegrityException.class,
        () -> new DatasetReader(store).manifest(forged.dataset().manifestCid(), owner.verifyingKey()));
    assertTrue(e.getMessage().contains("hospital-a/claims@7"), e.getMessage());
    assertTrue(e.getMessage().contains(forged.dataset().manifestCid().toString()), e.getMessage());
    assertFalse(forged.manifest().verifiedBy(owner.verifyingKey()));
    // The impostor's own key does verify it: the check is about who signed, not whether the bytes parse.
    assertEquals(forged.manifest(), new DatasetReader(store).manifest(forged.dataset().manifestCid(), impostor.verifyingKey()));
  }
}
