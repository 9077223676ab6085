package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.cid.Cid;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.blockstore.MissingBlockException;
import io.covenant.storage.dataset.ShardRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingBlockIsNamed {
  @TempDir Path dir;

  @Test
  void aBlockNeverStoredIsMissingByCid() {
    LocalBlockstore store = new LocalBlockstore(dir);
    Cid absent = Cid.raw("never stored".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertFalse(store.has(absent));
    MissingBlockException e = assertThrows(MissingBlockException.class, () -> store.get(absent));
    assertEquals(absent, e.cid());
    assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
  }

  @Test
  void aDeletedShardIsMissingByCidAndShard() throws IOException {
    Published p = Published.sample(dir, "hospital-a/claims@1", 4_000, 1_000, 0);
    ShardRef shard = p.manifest().manifest().shards().get(3);
    Files.delete(p.fileOf(shard.cid()));
    MissingBlockException e = assertThrows(MissingBlockException.class, () -> p.readAll(p.manifest(), p.key()));
    assertEquals(shard.cid(), e.cid());
    assertTrue(e.getMessage().contains(shard.cid().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("shard 3 of dataset hospital-a/claims@1"), e.getMessage());
  }
}
