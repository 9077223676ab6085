package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.cid.Cid;
import io.covenant.storage.dataset.DatasetManifest;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.ShardRef;
import io.covenant.storage.dataset.SignedManifest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiShardDatasetRoundTrips {
  @TempDir Path dir;

  @Test
  void everyValueAndNullComesBackInOrder() {
    long rows = 25_000;
    Published p = Published.sample(dir, "hospital-a/claims@3", rows, 6_000, 0);
    DatasetManifest m = p.manifest().manifest();
    assertTrue(m.shards().size() > 3, "shards: " + m.shards().size());
    assertEquals(rows, m.rows());

    SignedManifest loaded = new DatasetReader(p.store()).manifest(p.dataset().manifestCid(), p.owner().verifyingKey());
    assertEquals(p.manifest(), loaded);

    List<List<Object>> back = p.readAll(loaded, p.key());
    assertEquals(rows, back.size());
    int nulls = 0;
    for (int r = 0; r < rows; r++) {
      assertEquals(SampleClaims.expected(r, 0), back.get(r), "row " + r);
      for (Object v : back.get(r)) if (v == null) nulls++;
    }
    assertTrue(nulls > 1000, "the sample must exercise nulls in every column");
  }

  @Test
  void manifestIsOneSignedDagJsonBlockLinkingItsShards() {
    Published p = Published.sample(dir, "hospital-a/claims@1", 9_000, 2_000, 0);
    Cid manifestCid = p.dataset().manifestCid();
    assertEquals(Cid.DAG_JSON, manifestCid.codec());
    String block = new String(p.store().get(manifestCid), java.nio.charset.StandardCharsets.UTF_8);
    for (ShardRef s : p.manifest().manifest().shards()) {
      assertEquals(Cid.RAW, s.cid().codec());
      assertTrue(block.contains("{\"/\":\"" + s.cid() + "\"}"), "shard " + s.index() + " is linked IPLD-style");
    }
    assertTrue(block.contains("\"signature\":{\"/\":{\"bytes\":"), "signature uses DAG-JSON's bytes form");
    DatasetManifest m = p.manifest().manifest();
    assertEquals(m, DatasetManifest.fromJson(m.toJson()));
    assertEquals(io.covenant.core.crypto.Digest.sha256(m.schema().toJson().canonicalBytes()), m.schemaHash());
    assertTrue(p.manifest().verifiedBy(p.owner().verifyingKey()));
  }
}
