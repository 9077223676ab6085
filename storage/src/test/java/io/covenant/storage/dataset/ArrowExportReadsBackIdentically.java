package io.covenant.storage.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.crypto.DataKey;
import io.covenant.storage.Published;
import io.covenant.storage.SampleClaims;
import io.covenant.storage.cipher.TamperedShardException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrowExportReadsBackIdentically {
  @Test
  void theOwnersArrowFileHoldsEveryRowAndTheSchemaWithSensitivities(@TempDir Path dir) throws Exception {
    Published p = Published.sample(dir.resolve("blocks"), "hospital-a/claims@1", 25_000, 10_000, 30);
    Path out = dir.resolve("claims.arrow");
    assertEquals(25_000, new DatasetExport(p.store()).toArrowFile(p.manifest(), p.key(), out));
    List<List<Object>> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        FileChannel ch = FileChannel.open(out, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
      assertEquals(ArrowSchemas.toArrow(SampleClaims.SCHEMA), reader.getVectorSchemaRoot().getSchema());
      for (ArrowBlock block : reader.getRecordBlocks()) {
        reader.loadRecordBatch(block);
        rows.addAll(SampleClaims.rowsOf(reader.getVectorSchemaRoot()));
      }
    }
    assertEquals(25_000, rows.size());
    for (int r = 0; r < rows.size(); r++) assertEquals(SampleClaims.expected(r, 30), rows.get(r), "row " + r);
  }

  @Test
  void aWrongKeyLeavesNoFileBehind(@TempDir Path dir) {
    Published p = Published.sample(dir.resolve("blocks"), "hospital-a/claims@1", 1_000, 500, 0);
    Path out = dir.resolve("claims.arrow");
    assertThrows(TamperedShardException.class, () -> new DatasetExport(p.store()).toArrowFile(p.manifest(), DataKey.generate(), out));
    assertFalse(Files.exists(out));
    try (var left = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("blocks")), left.toList());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
