package io.covenant.storage.importing;

import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A file of rows to import as a dataset (CSV or Parquet), configured the same way whatever its format: column types
 * are inferred unless set with {@link #withType}, every column is tagged {@code sensitive} unless tagged otherwise
 * with {@link #withSensitivity}, and the whole file is checked before the first batch is produced, so a bad value
 * fails the import before any shard is written. Instances are immutable; the {@code with...} methods return new ones.
 */
public sealed interface TabularImport permits CsvImport, ParquetImport {
  /** Sets a column's type instead of inferring it; every value must then convert to that type. */
  TabularImport withType(String column, ColumnType type);

  /** Tags a column's sensitivity (default: sensitive). */
  TabularImport withSensitivity(String column, Sensitivity sensitivity);

  /** Rows per Arrow batch; the publisher splits batches into shards by size anyway. */
  TabularImport withBatchRows(int rows);

  /** Reads the whole file, checking every value, and returns the schema it will be imported with. */
  DatasetSchema schema();

  /** Checks the file, settles its schema, and returns its rows as batches; the caller closes them. */
  ImportedBatches batches(BufferAllocator allocator);
}
