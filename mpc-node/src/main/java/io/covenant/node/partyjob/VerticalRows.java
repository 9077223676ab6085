package io.covenant.node.partyjob;

import io.covenant.core.crypto.SubjectKey;
import io.covenant.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One owner's rows for a vertical model, read at its own node: the id of each row and the values of the columns it
 * contributes (features, or the label). Rows of data subjects who withdrew consent are left out first; so are rows with
 * a missing id or value (complete cases only: a model cannot train on a missing value, and imputing one is the owner's
 * decision, not the engine's).
 */
final class VerticalRows {
  private final String idColumn;
  private final List<String> columns;
  private final Optional<Policy.Consent> consent;
  private final SubjectKey subjects;
  private final String source;
  private final List<String> ids = new ArrayList<>();
  private final List<double[]> values = new ArrayList<>();

  VerticalRows(String idColumn, List<String> columns, Optional<Policy.Consent> consent, SubjectKey subjects, String source) {
    this.idColumn = idColumn;
    this.columns = List.copyOf(columns);
    this.consent = consent;
    this.subjects = subjects;
    this.source = source;
  }

  void add(VectorSchemaRoot batch) {
    FieldVector id = column(batch, idColumn);
    FieldVector[] cols = new FieldVector[columns.size()];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = column(batch, columns.get(c));
      if (!(cols[c] instanceof BigIntVector) && !(cols[c] instanceof Float8Vector)) {
        throw new PartyJobRefusedException("column '" + columns.get(c) + "' of " + source + " is not numeric, so a model cannot train on it");
      }
    }
    FieldVector subject = consent.map(c -> column(batch, c.subjectColumn())).orElse(null);
    Set<String> excluded = consent.map(c -> Set.copyOf(c.excludedSubjects())).orElse(Set.of());
    rows:
    for (int i = 0; i < batch.getRowCount(); i++) {
      if (subject != null && !subject.isNull(i) && excluded.contains(subjects.digest(text(subject, i)))) continue;
      if (id.isNull(i)) continue;
      double[] row = new double[cols.length];
      for (int c = 0; c < cols.length; c++) {
        if (cols[c].isNull(i)) continue rows;
        row[c] = cols[c] instanceof BigIntVector b ? b.get(i) : ((Float8Vector) cols[c]).get(i);
        if (!Double.isFinite(row[c])) continue rows;
      }
      ids.add(text(id, i));
      values.add(row);
    }
  }

  List<String> ids() {
    return ids;
  }

  List<double[]> values() {
    return values;
  }

  private FieldVector column(VectorSchemaRoot batch, String name) {
    FieldVector v = batch.getVector(name);
    if (v == null) throw new PartyJobRefusedException("the model uses column '" + name + "', which " + source + " does not have");
    return v;
  }

  private static String text(FieldVector v, int i) {
    return switch (v) {
      case VarCharVector s -> new String(s.get(i), StandardCharsets.UTF_8);
      case BigIntVector b -> Long.toString(b.get(i));
      default -> String.valueOf(v.getObject(i));
    };
  }
}
