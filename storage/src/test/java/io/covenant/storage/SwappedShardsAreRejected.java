package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.IntegrityException;
import io.covenant.storage.cipher.TamperedShardException;
import io.covenant.storage.dataset.DatasetManifest;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.ShardRef;
import io.covenant.storage.dataset.SignedManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwappedShardsAreRejected {
  @TempDir Path dir;

  @Test
  void swappingLinksInTheStoredManifestBreaksTheOwnersSignature() {
    Published p = Published.sample(dir, "hospital-a/claims@1", 8_000, 2_000, 0);
    List<ShardRef> shards = p.manifest().manifest().shards();
    String block = new String(p.store().get(p.dataset().manifestCid()), java.nio.charset.StandardCharsets.UTF_8);
    String a = shards.get(0).cid().toString(), b = shards.get(1).cid().toString();
    String swapped = block.replace(a, "@").replace(b, a).replace("@", b);
    Cid forged = p.store().put(Cid.DAG_JSON, swapped.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    IntegrityException e = assertThrows(IntegrityException.class,
        () -> new DatasetReader(p.store()).manifest(forged, p.owner().verifyingKey()));
    assertTrue(e.getMessage().contains("hospital-a/claims@1"), e.getMessage());
  }

  @Test
  void evenASignedManifestWithSwappedShardsFailsAuthentication() {
    Published p = Published.sample(dir, "hospital-a/claims@1", 8_000, 2_000, 0);
    DatasetManifest m = p.manifest().manifest();
    List<ShardRef> swapped = new ArrayList<>(m.shards());
    ShardRef s0 = swapped.get(0), s1 = swapped.get(1);
    // Same row counts, so only the AAD (which binds the index) can tell.
    assertEquals(s0.rows(), s1.rows());
    swapped.set(0, new ShardRef(0, s1.cid(), s1.rows(), s1.sealedBytes()));
    swapped.set(1, new ShardRef(1, s0.cid(), s0.rows(), s0.sealedBytes()));
    DatasetManifest forged = new DatasetManifest(m.dataset(), m.schema(), m.rows(), swapped, m.createdAt());
    SignedManifest resigned = new SignedManifest(forged, p.owner().sign(forged.toJson().canonicalBytes()));

    TamperedShardException e = assertThrows(TamperedShardException.class, () -> p.readAll(resigned, p.key()));
    assertTrue(e.getMessage().contains("shard 0 of dataset hospital-a/claims@1"), e.getMessage());
  }
}
