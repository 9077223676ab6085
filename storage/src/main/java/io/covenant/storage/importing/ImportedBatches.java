package io.covenant.storage.importing;

import io.covenant.core.schema.DatasetSchema;
import java.util.Iterator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Imported rows as Arrow batches in {@link io.covenant.storage.dataset.ArrowSchemas#toArrow} form. One root is
 * reused: a batch is valid until the next {@link #next()}. Close to release the file and the Arrow buffers.
 */
public interface ImportedBatches extends Iterator<VectorSchemaRoot>, AutoCloseable {
  /** The schema every batch has. */
  DatasetSchema schema();

  @Override
  void close();
}
