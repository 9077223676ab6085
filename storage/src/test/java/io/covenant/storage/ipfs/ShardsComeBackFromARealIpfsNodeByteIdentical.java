package io.covenant.storage.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.storage.Published;
import io.covenant.storage.SampleClaims;
import io.covenant.storage.blockstore.IpfsBlockstore;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.ShardRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("ipfs")
@ExtendWith(TestIpfsNode.class)
class ShardsComeBackFromARealIpfsNodeByteIdentical {
  @Test
  void everyShardAndTheManifestRoundTripAndTheDatasetReadsBack(IpfsBlockstore ipfs, @TempDir Path dir) {
    Published p = Published.sample(dir, "hospital-a/claims@1", 30_000, 10_000, 40);
    List<Cid> blocks = new ArrayList<>();
    for (ShardRef s : p.manifest().manifest().shards()) blocks.add(s.cid());
    blocks.add(p.dataset().manifestCid());
    assertTrue(blocks.size() > 2, "the sample must span several shards");
    for (Cid cid : blocks) {
      byte[] local = p.store().get(cid);
      assertEquals(cid, ipfs.put(cid.codec(), local));
      assertArrayEquals(local, ipfs.get(cid), "block " + cid + " came back different from the node");
      assertTrue(ipfs.has(cid));
    }
    DatasetReader reader = new DatasetReader(ipfs);
    var manifest = reader.manifest(p.dataset().manifestCid(), p.owner().verifyingKey());
    List<List<Object>> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      reader.forEachBatch(manifest, p.key(), allocator, root -> rows.addAll(SampleClaims.rowsOf(root)));
    }
    assertEquals(30_000, rows.size());
    for (int r = 0; r < rows.size(); r++) assertEquals(SampleClaims.expected(r, 40), rows.get(r), "row " + r);
  }
}
