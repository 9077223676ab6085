package io.covenant.storage;

import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.storage.dataset.ArrowSchemas;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Deterministic test rows with all four column types and nulls in every column; row {@code r}'s values are a pure
 * function of {@code r}, so a reader's output can be checked value by value without keeping the input.
 */
public final class SampleClaims implements Iterator<VectorSchemaRoot>, AutoCloseable {
  public static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new Column("patient", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("age", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE),
      new Column("visit", ColumnType.DATE, Sensitivity.QUASI_IDENTIFIER)));

  /** A value that appears in the data and nowhere else: sealed blocks must never contain it. */
  public static final String MARKER = "ZEBRA-DIAGNOSIS-7731";

  private final VectorSchemaRoot root;
  private final long rows;
  private final int batchRows;
  private final int padding;
  private long next;

  /** {@code padding} extra characters per patient string, to make batches as large as a test needs. */
  public SampleClaims(BufferAllocator allocator, long rows, int batchRows, int padding) {
    this.root = VectorSchemaRoot.create(ArrowSchemas.toArrow(SCHEMA), allocator);
    this.rows = rows;
    this.batchRows = batchRows;
    this.padding = padding;
  }

  public static List<Object> expected(long r, int padding) {
    String patient = r % 11 == 3 ? null : (r % 97 == 5 ? MARKER : "p" + r) + "x".repeat(padding);
    Long age = r % 7 == 2 ? null : r % 90;
    Double cost = r % 13 == 4 ? null : r * 1.25 - 17.5;
    LocalDate visit = r % 17 == 6 ? null : LocalDate.of(2020, 1, 1).plusDays(r % 1500);
    return Arrays.asList(patient, age, cost, visit);
  }

  /** The rows of one batch as plain Java values, in column order. */
  public static List<List<Object>> rowsOf(VectorSchemaRoot root) {
    VarCharVector patient = (VarCharVector) root.getVector("patient");
    BigIntVector age = (BigIntVector) root.getVector("age");
    Float8Vector cost = (Float8Vector) root.getVector("cost");
    DateDayVector visit = (DateDayVector) root.getVector("visit");
    List<List<Object>> out = new ArrayList<>();
    for (int i = 0; i < root.getRowCount(); i++) {
      out.add(Arrays.asList(
          patient.isNull(i) ? null : new String(patient.get(i), StandardCharsets.UTF_8),
          age.getObject(i),
          cost.getObject(i),
          visit.isNull(i) ? null : LocalDate.ofEpochDay(visit.get(i))));
    }
    return out;
  }

  @Override
  public boolean hasNext() {
    return next < rows;
  }

  @Override
  public VectorSchemaRoot next() {
    if (!hasNext()) throw new NoSuchElementException();
    int n = (int) Math.min(batchRows, rows - next);
    root.allocateNew();
    VarCharVector patient = (VarCharVector) root.getVector("patient");
    BigIntVector age = (BigIntVector) root.getVector("age");
    Float8Vector cost = (Float8Vector) root.getVector("cost");
    DateDayVector visit = (DateDayVector) root.getVector("visit");
    for (int i = 0; i < n; i++) {
      List<Object> v = expected(next + i, padding);
      if (v.get(0) == null) patient.setNull(i); else patient.setSafe(i, ((String) v.get(0)).getBytes(StandardCharsets.UTF_8));
      if (v.get(1) == null) age.setNull(i); else age.setSafe(i, (Long) v.get(1));
      if (v.get(2) == null) cost.setNull(i); else cost.setSafe(i, (Double) v.get(2));
      if (v.get(3) == null) visit.setNull(i); else visit.setSafe(i, (int) ((LocalDate) v.get(3)).toEpochDay());
    }
    root.setRowCount(n);
    next += n;
    return root;
  }

  @Override
  public void close() {
    root.close();
  }
}
