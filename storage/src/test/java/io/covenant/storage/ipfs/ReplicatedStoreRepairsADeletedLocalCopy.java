package io.covenant.storage.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.storage.SampleClaims;
import io.covenant.storage.blockstore.IpfsBlockstore;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.blockstore.ReplicatedBlockstore;
import io.covenant.core.id.DatasetVersion;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.PublishedDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("ipfs")
@ExtendWith(TestIpfsNode.class)
class ReplicatedStoreRepairsADeletedLocalCopy {
  @Test
  void aReadFallsBackToTheIpfsNodeAndPutsTheBlockBackLocally(IpfsBlockstore ipfs, @TempDir Path dir) throws Exception {
    LocalBlockstore local = new LocalBlockstore(dir);
    ReplicatedBlockstore both = new ReplicatedBlockstore(List.of(local, ipfs), 2);
    DataKey key = DataKey.generate();
    SigningKey owner = SigningKey.generate();
    PublishedDataset published;
    try (BufferAllocator allocator = new RootAllocator(); SampleClaims batches = new SampleClaims(allocator, 8_000, 4_000, 10)) {
      published = new DatasetPublisher(both).publish(DatasetVersion.parse("hospital-c/visits@1"), SampleClaims.SCHEMA, batches, key, owner);
    }
    Cid shard = published.manifest().manifest().shards().get(0).cid();
    byte[] original = local.get(shard);
    Path file;
    try (Stream<Path> files = Files.walk(dir)) {
      file = files.filter(f -> f.getFileName().toString().equals(shard.toString())).findFirst().orElseThrow();
    }
    Files.delete(file);
    assertFalse(local.has(shard));

    long[] rows = {0};
    try (BufferAllocator allocator = new RootAllocator()) {
      DatasetReader reader = new DatasetReader(both);
      reader.forEachBatch(reader.manifest(published.manifestCid(), owner.verifyingKey()), key, allocator, root -> rows[0] += root.getRowCount());
    }
    assertEquals(8_000, rows[0]);
    assertTrue(local.has(shard), "the local copy should have been repaired from the IPFS node");
    assertArrayEquals(original, local.get(shard));
  }
}
