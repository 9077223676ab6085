package io.covenant.storage.ipfs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.storage.Published;
import io.covenant.storage.blockstore.IpfsBlockstore;
import io.covenant.storage.dataset.ShardRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("ipfs")
@ExtendWith(TestIpfsNode.class)
class PinnedManifestKeepsItsShardsThroughGarbageCollection {
  @Test
  void pinAddProtectsTheWholeDatasetAndPinRmReleasesIt(TestIpfsNode.Running node, @TempDir Path dir) throws Exception {
    IpfsBlockstore ipfs = node.store();
    Published p = Published.sample(dir, "insurer-b/policies@2", 12_000, 6_000, 60);
    List<Cid> shards = new ArrayList<>();
    for (ShardRef s : p.manifest().manifest().shards()) shards.add(ipfs.put(Cid.RAW, p.store().get(s.cid())));
    Cid manifest = ipfs.put(Cid.DAG_JSON, p.store().get(p.dataset().manifestCid()));

    ipfs.pin(manifest);
    assertTrue(ipfs.isPinned(manifest));
    for (Cid s : shards) assertTrue(ipfs.isPinned(s), "shard " + s + " should be pinned through the manifest's links");
    NodeRpc.post(node.api(), "repo/gc", null);
    assertTrue(ipfs.has(manifest));
    for (Cid s : shards) assertTrue(ipfs.has(s), "pinned shard " + s + " was collected");

    ipfs.unpin(manifest);
    assertFalse(ipfs.isPinned(manifest));
    NodeRpc.post(node.api(), "repo/gc", null);
    assertFalse(ipfs.has(shards.get(0)), "an unpinned shard should be collected");
  }
}
