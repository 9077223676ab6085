package io.covenant.tee.compute;

import io.covenant.core.schema.Column;
import io.covenant.core.schema.DatasetSchema;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Builds Arrow batches from plain rows for tests (Long, Double, String, LocalDate or null per cell). */
final class Batches {
  private Batches() {}

  static Schema arrowSchema(DatasetSchema schema) {
    List<Field> fields = new ArrayList<>();
    for (Column c : schema.columns()) {
      ArrowType t = switch (c.type()) {
        case INT64 -> new ArrowType.Int(64, true);
        case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        case STRING -> ArrowType.Utf8.INSTANCE;
        case DATE -> new ArrowType.Date(DateUnit.DAY);
      };
      fields.add(new Field(c.name(), FieldType.nullable(t), null));
    }
    return new Schema(fields);
  }

  static VectorSchemaRoot of(BufferAllocator allocator, DatasetSchema schema, List<Object[]> rows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema(schema), allocator);
    root.allocateNew();
    for (int c = 0; c < schema.columns().size(); c++) {
      FieldVector v = root.getVector(c);
      for (int r = 0; r < rows.size(); r++) {
        Object cell = rows.get(r)[c];
        if (cell == null) {
          v.setNull(r);
          continue;
        }
        switch (v) {
          case BigIntVector b -> b.setSafe(r, ((Number) cell).longValue());
          case Float8Vector f -> f.setSafe(r, ((Number) cell).doubleValue());
          case VarCharVector s -> s.setSafe(r, ((String) cell).getBytes(StandardCharsets.UTF_8));
          case DateDayVector d -> d.setSafe(r, (int) ((LocalDate) cell).toEpochDay());
          default -> throw new IllegalArgumentException(v.getClass().getName());
        }
      }
      v.setValueCount(rows.size());
    }
    root.setRowCount(rows.size());
    return root;
  }
}
