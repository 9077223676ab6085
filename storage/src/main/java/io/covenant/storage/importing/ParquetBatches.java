package io.covenant.storage.importing;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.storage.dataset.ArrowSchemas;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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

/** Rows streamed from DuckDB's {@code read_parquet} into one reused Arrow root, {@code batchRows} at a time. */
final class ParquetBatches implements ImportedBatches {
  private final Connection db;
  private final ResultSet rows;
  private final DatasetSchema schema;
  private final VectorSchemaRoot root;
  private final int batchRows;
  private final String source;
  private boolean pending;
  private long row;

  ParquetBatches(Connection db, ResultSet rows, DatasetSchema schema, BufferAllocator allocator, int batchRows, String source) throws SQLException {
    this.db = db;
    this.rows = rows;
    this.schema = schema;
    this.batchRows = batchRows;
    this.source = source;
    this.root = VectorSchemaRoot.create(ArrowSchemas.toArrow(schema), allocator);
    this.pending = rows.next();
  }

  @Override
  public DatasetSchema schema() {
    return schema;
  }

  @Override
  public boolean hasNext() {
    return pending;
  }

  @Override
  public VectorSchemaRoot next() {
    if (!pending) throw new NoSuchElementException();
    root.allocateNew();
    List<Column> columns = schema.columns();
    int n = 0;
    try {
      while (pending && n < batchRows) {
        row++;
        for (int c = 0; c < columns.size(); c++) set(root.getVector(c), c + 1, n);
        n++;
        pending = rows.next();
      }
    } catch (SQLException e) {
      throw new MalformedInputException(source + ", row " + row + ": " + ParquetImport.firstLine(e.getMessage()), e);
    }
    root.setRowCount(n);
    return root;
  }

  private void set(FieldVector vector, int column, int index) throws SQLException {
    switch (vector) {
      case BigIntVector b -> {
        long v = rows.getLong(column);
        if (rows.wasNull()) b.setNull(index);
        else b.setSafe(index, v);
      }
      case Float8Vector f -> {
        double v = rows.getDouble(column);
        if (rows.wasNull()) f.setNull(index);
        else f.setSafe(index, v);
      }
      case VarCharVector s -> {
        String v = rows.getString(column);
        if (v == null) s.setNull(index);
        else s.setSafe(index, v.getBytes(StandardCharsets.UTF_8));
      }
      case DateDayVector d -> {
        LocalDate v = rows.getObject(column, LocalDate.class);
        if (v == null) d.setNull(index);
        else d.setSafe(index, Math.toIntExact(v.toEpochDay()));
      }
      default -> throw new MalformedInputException("column '" + vector.getName() + "' has an Arrow vector Parquet import cannot fill");
    }
  }

  @Override
  public void close() {
    root.close();
    try {
      rows.close();
      db.close();
    } catch (SQLException ignored) {
      // Read-only in-memory database: nothing is lost by a failed close.
    }
  }
}
