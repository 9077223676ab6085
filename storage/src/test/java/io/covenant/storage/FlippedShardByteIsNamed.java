package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.error.IntegrityException;
import io.covenant.storage.cipher.TamperedShardException;
import io.covenant.storage.dataset.ShardRef;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlippedShardByteIsNamed {
  @TempDir Path dir;

  @Test
  void theBlockstoreNamesTheCidAndTheReaderNamesShardAndDataset() {
    Published p = Published.sample(dir, "hospital-a/claims@3", 12_000, 3_000, 0);
    ShardRef shard = p.manifest().manifest().shards().get(2);
    p.flipByte(shard.cid(), (int) (shard.sealedBytes() / 2));

    IntegrityException atCid = assertThrows(IntegrityException.class, () -> p.store().get(shard.cid()));
    assertTrue(atCid.getMessage().contains(shard.cid().toString()), atCid.getMessage());

    TamperedShardException atShard = assertThrows(TamperedShardException.class, () -> p.readAll(p.manifest(), p.key()));
    assertEquals(2, atShard.shard().index());
    assertTrue(atShard.getMessage().contains("shard 2 of dataset hospital-a/claims@3"), atShard.getMessage());
    assertTrue(atShard.getMessage().contains(shard.cid().toString()), atShard.getMessage());
  }
}
