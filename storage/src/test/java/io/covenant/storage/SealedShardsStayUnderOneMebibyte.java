package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.dataset.ArrowSchemas;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.ShardRef;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedShardsStayUnderOneMebibyte {
  @TempDir Path dir;

  @Test
  void aSeveralMebibyteBatchIsSplitIntoShardsOfAtMostOneMebibyte() {
    // One batch of ~6 MiB: 40,000 rows with ~150-byte strings.
    long rows = 40_000;
    Published p = Published.sample(dir, "vehicle-maker/obd@1", rows, 40_000, 140);
    List<ShardRef> shards = p.manifest().manifest().shards();
    long total = 0;
    for (ShardRef s : shards) {
      assertTrue(s.sealedBytes() <= DatasetPublisher.MAX_SEALED_SHARD_BYTES, "shard " + s.index() + " is " + s.sealedBytes());
      assertEquals(s.sealedBytes(), p.store().get(s.cid()).length);
      total += s.sealedBytes();
    }
    assertTrue(total > 5 * 1024 * 1024, "the batch really was several MiB: " + total);
    assertTrue(shards.size() >= 6, "shards: " + shards.size());
    // Shards are filled, not split needlessly small.
    assertTrue(shards.get(0).sealedBytes() > 900 * 1024, "first shard: " + shards.get(0).sealedBytes());

    List<List<Object>> back = p.readAll(p.manifest(), p.key());
    assertEquals(rows, back.size());
    for (int r = 0; r < rows; r += 997) assertEquals(SampleClaims.expected(r, 140), back.get(r), "row " + r);
  }

  @Test
  void aSingleRowLargerThanAShardIsRefusedWithItsRowNumber() {
    DatasetSchema schema = new DatasetSchema(List.of(new Column("note", ColumnType.STRING, Sensitivity.SENSITIVE)));
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(ArrowSchemas.toArrow(schema), allocator)) {
      VarCharVector note = (VarCharVector) root.getVector("note");
      note.allocateNew();
      note.setSafe(0, "short".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      note.setSafe(1, new byte[1_100_000]);
      root.setRowCount(2);
      Iterator<VectorSchemaRoot> one = List.of(root).iterator();
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> new DatasetPublisher(new LocalBlockstore(dir))
          .publish(DatasetVersion.parse("hospital-a/notes@1"), schema, one, DataKey.generate(), SigningKey.generate()));
      assertTrue(e.getMessage().contains("row 2 of hospital-a/notes@1"), e.getMessage());
    }
  }
}
