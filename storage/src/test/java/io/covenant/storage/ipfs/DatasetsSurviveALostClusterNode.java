package io.covenant.storage.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.DatasetVersion;
import io.covenant.storage.SampleClaims;
import io.covenant.storage.blockstore.IpfsBlockstore;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.PublishedDataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The deployment docs/storage.md describes, on loopback: three Kubo nodes, each with an IPFS Cluster peer, replication
 * factor 2. Two owners publish through different peers' IPFS proxy endpoints and pin their manifests there; the
 * cluster places each dataset on two nodes. Then a storage host that holds a copy goes down (its Kubo node and its
 * cluster peer are killed), and every dataset still reads back through a surviving peer's proxy, every shard and the
 * signed manifest verified, every row as published.
 */
@Tag("ipfs")
@Tag("cluster") // outside the default run: IPFS Cluster's first build is long; the Maven profile peers runs it
class DatasetsSurviveALostClusterNode {
  private static final int ROWS = 12_000;

  private record Owned(PublishedDataset dataset, DataKey key, SigningKey owner) {}

  @Test
  void everyDatasetStillVerifiesAndReadsAfterOneNodeIsKilled() throws Exception {
    try (IpfsClusterPeers cluster = IpfsClusterPeers.start(3, 2)) {
      List<IpfsClusterPeers.Peer> peers = cluster.peers();
      List<Owned> published = new ArrayList<>();
      List<List<String>> holders = new ArrayList<>();
      for (int d = 0; d < 2; d++) {
        IpfsClusterPeers.Peer via = peers.get(d);
        IpfsBlockstore proxy = via.store();
        DataKey key = DataKey.generate();
        SigningKey owner = SigningKey.generate();
        PublishedDataset dataset;
        try (BufferAllocator allocator = new RootAllocator(); SampleClaims batches = new SampleClaims(allocator, ROWS, 4_000, 10)) {
          dataset = new DatasetPublisher(proxy).publish(DatasetVersion.parse("hospital-" + d + "/claims@1"), SampleClaims.SCHEMA, batches, key, owner);
        }
        proxy.pin(dataset.manifestCid()); // through the proxy: a cluster pin, replicated to the configured factor
        holders.add(cluster.awaitPinned(via, dataset.manifestCid().toString(), 2));
        published.add(new Owned(dataset, key, owner));
      }

      IpfsClusterPeers.Peer victim = peers.stream().filter(p -> p.id.equals(holders.get(0).get(0))).findFirst().orElseThrow();
      IpfsClusterPeers.Peer reader = peers.stream().filter(p -> p != victim).findFirst().orElseThrow();
      victim.kill();
      assertTrue(!victim.kubo.isAlive(), "the victim's Kubo node is down");

      for (Owned o : published) {
        DatasetReader read = new DatasetReader(reader.store());
        var manifest = read.manifest(o.dataset().manifestCid(), o.owner().verifyingKey());
        List<List<Object>> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator()) {
          read.forEachBatch(manifest, o.key(), allocator, root -> rows.addAll(SampleClaims.rowsOf(root)));
        }
        assertEquals(ROWS, rows.size(), o.dataset().manifestCid() + " lost rows with one node down");
        for (int r = 0; r < rows.size(); r++) assertEquals(SampleClaims.expected(r, 10), rows.get(r), "row " + r + " of " + o.dataset().manifestCid());
        for (var shard : manifest.manifest().shards()) {
          Cid cid = shard.cid();
          assertTrue(reader.kubo.store().has(cid), "the surviving node holds shard " + cid + " after reading it");
        }
      }
    }
  }
}
