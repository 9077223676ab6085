package io.covenant.storage.dataset;

import io.covenant.core.schema.Column;
import io.covenant.core.schema.DatasetSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The one Arrow schema that carries a dataset's rows: what publishers must write and readers get back. */
public final class ArrowSchemas {
  /** Field metadata key holding the column's {@link io.covenant.core.schema.Sensitivity} wire name. */
  public static final String SENSITIVITY = "covenant.sensitivity";

  private ArrowSchemas() {}

  /** INT64 to Int(64, signed), FLOAT64 to FloatingPoint(DOUBLE), STRING to Utf8, DATE to Date(DAY); all nullable. */
  public static Schema toArrow(DatasetSchema s) {
    List<Field> fields = new ArrayList<>(s.columns().size());
    for (Column c : s.columns()) {
      ArrowType type = switch (c.type()) {
        case INT64 -> new ArrowType.Int(64, true);
        case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        case STRING -> ArrowType.Utf8.INSTANCE;
        case DATE -> new ArrowType.Date(DateUnit.DAY);
      };
      fields.add(new Field(c.name(), new FieldType(true, type, null, Map.of(SENSITIVITY, c.sensitivity().wireName())), null));
    }
    return new Schema(fields);
  }
}
