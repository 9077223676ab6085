package io.covenant.storage.importing;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.storage.dataset.ArrowSchemas;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The rows of a CSV file as Arrow batches with the schema {@link CsvImport#schema()} settled. One root is reused:
 * a batch is valid until the next {@link #next()}. Close it to release the file and the Arrow buffers.
 */
public final class CsvBatches implements ImportedBatches {
  interface ValueParser {
    Object parse(ColumnType type, String value, String column, long line);
  }

  private final CsvRecords records;
  private final DatasetSchema schema;
  private final VectorSchemaRoot root;
  private final int batchRows;
  private final ValueParser parser;
  private List<String> pending;
  private long pendingLine;

  CsvBatches(CsvRecords records, DatasetSchema schema, BufferAllocator allocator, int batchRows, ValueParser parser) {
    this.records = records;
    this.schema = schema;
    this.batchRows = batchRows;
    this.parser = parser;
    this.root = VectorSchemaRoot.create(ArrowSchemas.toArrow(schema), allocator);
    try {
      advance();
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** The schema every batch has. */
  @Override
  public DatasetSchema schema() {
    return schema;
  }

  @Override
  public boolean hasNext() {
    return pending != null;
  }

  @Override
  public VectorSchemaRoot next() {
    if (pending == null) throw new NoSuchElementException();
    root.allocateNew();
    List<Column> columns = schema.columns();
    int row = 0;
    while (pending != null && row < batchRows) {
      for (int c = 0; c < columns.size(); c++) set(root.getVector(c), columns.get(c), row, pending.get(c));
      row++;
      advance();
    }
    root.setRowCount(row);
    return root;
  }

  private void set(FieldVector vector, Column column, int row, String text) {
    boolean missing = text == null || (text.isEmpty() && column.type() != ColumnType.STRING);
    if (missing) {
      vector.setNull(row);
      return;
    }
    Object v = parser.parse(column.type(), text, column.name(), pendingLine);
    switch (vector) {
      case BigIntVector b -> b.setSafe(row, (Long) v);
      case Float8Vector f -> f.setSafe(row, (Double) v);
      case VarCharVector s -> s.setSafe(row, ((String) v).getBytes(StandardCharsets.UTF_8));
      case DateDayVector d -> d.setSafe(row, Math.toIntExact(((LocalDate) v).toEpochDay()));
      default -> throw new MalformedInputException("column '" + column.name() + "' has an Arrow vector CSV import cannot fill: " + vector.getClass().getSimpleName());
    }
  }

  private void advance() {
    pending = CsvImport.next(records, schema.columns().size());
    pendingLine = records.recordLine();
  }

  @Override
  public void close() {
    root.close();
    records.close();
  }
}
