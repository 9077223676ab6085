package io.covenant.storage.blockstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks carried with a job (a worker receives the inputs' manifests along with it) are read before the store, and
 * verified like any block: one whose bytes were swapped on the way is refused naming its CID, never handed to the
 * reader; a CID nothing carried is read from the store as before.
 */
class CarriedBlockThatDoesNotMatchItsCidIsRefused {
  @TempDir Path dir;

  @Test
  void aSwappedBlockIsRefusedAndOthersComeFromTheStore() {
    LocalBlockstore store = new LocalBlockstore(dir);
    byte[] manifest = "{\"manifest\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] other = "{\"manifest\":2}".getBytes(StandardCharsets.UTF_8);
    Cid cid = Cid.of(Cid.DAG_JSON, manifest);
    Cid stored = store.put(Cid.DAG_JSON, other);

    assertArrayEquals(manifest, new CarriedBlocks(store, Map.of(cid, manifest)).get(cid), "an honest carried block needs no fetch");
    var swapped = new CarriedBlocks(store, Map.of(cid, other));
    var e = assertThrows(IntegrityException.class, () -> swapped.get(cid));
    assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
    assertArrayEquals(other, swapped.get(stored));
  }
}
