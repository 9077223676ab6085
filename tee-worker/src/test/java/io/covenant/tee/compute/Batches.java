package io.covenant.tee.compute;

import io.covenant.core.schema.DatasetSchema;
import io.covenant.tee.fixture.Consortium;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Builds Arrow batches from plain rows for tests (Long, Double, String, LocalDate or null per cell). */
final class Batches {
  private Batches() {}

  static VectorSchemaRoot of(BufferAllocator allocator, DatasetSchema schema, List<Object[]> rows) {
    return Consortium.batch(allocator, schema, rows);
  }
}
