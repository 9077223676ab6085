package io.covenant.storage.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.storage.MemoryBlockstore;
import io.covenant.storage.SampleClaims;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class FailedPublishRegistersNothing {
  @Test
  void aStoreThatFillsUpMidPublishGivesAClearErrorAndNoManifest() {
    MemoryBlockstore disk = new MemoryBlockstore("disk /data/blocks", 3);
    CovenantException e;
    try (BufferAllocator allocator = new RootAllocator(); SampleClaims batches = new SampleClaims(allocator, 40_000, 5_000, 120)) {
      e = assertThrows(CovenantException.class, () -> new DatasetPublisher(disk)
          .publish(DatasetVersion.parse("hospital-a/claims@4"), SampleClaims.SCHEMA, batches, DataKey.generate(), SigningKey.generate()));
    }
    String m = e.getMessage();
    assertTrue(m.contains("hospital-a/claims@4") && m.contains("No space left on device") && m.contains("was not published"), m);
    assertTrue(m.contains("shard"), "the error should say which shard failed: " + m);
    assertEquals(0, disk.stored(Cid.DAG_JSON), "no manifest may be stored when a shard failed");
    assertTrue(disk.stored(Cid.RAW) <= 3);
  }

  @Test
  void aStoreThatFailsOnTheManifestGivesAClearErrorAndNothingToRegister() {
    MemoryBlockstore counting = MemoryBlockstore.healthy("probe");
    try (BufferAllocator allocator = new RootAllocator(); SampleClaims batches = new SampleClaims(allocator, 9_000, 3_000, 10)) {
      new DatasetPublisher(counting).publish(DatasetVersion.parse("hospital-a/claims@5"), SampleClaims.SCHEMA, batches, DataKey.generate(), SigningKey.generate());
    }
    int shards = (int) counting.stored(Cid.RAW);
    MemoryBlockstore disk = new MemoryBlockstore("disk /data/blocks", shards);
    CovenantException e;
    try (BufferAllocator allocator = new RootAllocator(); SampleClaims batches = new SampleClaims(allocator, 9_000, 3_000, 10)) {
      e = assertThrows(CovenantException.class, () -> new DatasetPublisher(disk)
          .publish(DatasetVersion.parse("hospital-a/claims@6"), SampleClaims.SCHEMA, batches, DataKey.generate(), SigningKey.generate()));
    }
    assertTrue(e.getMessage().contains("manifest") && e.getMessage().contains("was not published"), e.getMessage());
    assertEquals(0, disk.stored(Cid.DAG_JSON));
  }
}
