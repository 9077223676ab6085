package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.DatasetVersion;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.cipher.ShardCipher;
import io.covenant.storage.cipher.ShardId;
import io.covenant.storage.cipher.TamperedShardException;
import io.covenant.storage.dataset.DatasetManifest;
import io.covenant.storage.dataset.ShardRef;
import io.covenant.storage.dataset.SignedManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardFromAnotherVersionIsRejected {
  @TempDir Path dir;

  @Test
  void aShardReplayedFromVersionOneIntoVersionTwoFailsEvenUnderTheSameKey() {
    // Reusing a key across versions is itself forbidden; this shows the AAD still stops the replay if it happens.
    LocalBlockstore store = new LocalBlockstore(dir);
    DataKey key = DataKey.generate();
    SigningKey owner = SigningKey.generate();
    Published v1 = Published.into(store, "hospital-a/claims@1", key, owner, 6_000, 2_000, 0);
    Published v2 = Published.into(store, "hospital-a/claims@2", key, owner, 6_000, 2_000, 0);

    DatasetManifest m2 = v2.manifest().manifest();
    List<ShardRef> spliced = new ArrayList<>(m2.shards());
    ShardRef old = v1.manifest().manifest().shards().get(1);
    spliced.set(1, new ShardRef(1, old.cid(), old.rows(), old.sealedBytes()));
    DatasetManifest forged = new DatasetManifest(m2.dataset(), m2.schema(), m2.rows(), spliced, m2.createdAt());
    SignedManifest signed = new SignedManifest(forged, owner.sign(forged.toJson().canonicalBytes()));

    TamperedShardException e = assertThrows(TamperedShardException.class, () -> v2.readAll(signed, key));
    assertTrue(e.getMessage().contains("shard 1 of dataset hospital-a/claims@2"), e.getMessage());
  }

  @Test
  void theCipherBindsDatasetVersionAndPosition() {
    DataKey key = DataKey.generate();
    ShardId here = new ShardId(DatasetVersion.parse("hospital-a/claims@1"), 4);
    byte[] sealed = new ShardCipher(key).seal(here, "rows".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ShardCipher reader = new ShardCipher(key);
    assertArrayEquals("rows".getBytes(java.nio.charset.StandardCharsets.UTF_8), reader.open(here, sealed));
    for (ShardId elsewhere : List.of(
        new ShardId(DatasetVersion.parse("hospital-a/claims@2"), 4),
        new ShardId(DatasetVersion.parse("hospital-b/claims@1"), 4),
        new ShardId(DatasetVersion.parse("hospital-a/claims2@1"), 4),
        new ShardId(DatasetVersion.parse("hospital-a/claims@1"), 5))) {
      TamperedShardException e = assertThrows(TamperedShardException.class, () -> reader.open(elsewhere, sealed));
      assertEquals(elsewhere, e.shard());
    }
  }
}
