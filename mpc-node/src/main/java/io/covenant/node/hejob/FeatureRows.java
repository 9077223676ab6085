package io.covenant.node.hejob;

import io.covenant.core.crypto.SubjectKey;
import io.covenant.node.partyjob.PartyJobRefusedException;
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
 * An owner's rows for private scoring, read at its own node: the feature columns of each row, in the dataset's order.
 * Rows of data subjects who withdrew consent are left out first, then rows with a missing or non-finite feature
 * (imputing a value is the owner's decision, not the engine's); at most {@code maxRows} rows are kept (the policy's row
 * limit), the first ones.
 */
final class FeatureRows {
  private final List<String> columns;
  private final Optional<Policy.Consent> consent;
  private final String source;
  private final long maxRows;
  private SubjectKey subjects;
  private final List<double[]> values = new ArrayList<>();

  FeatureRows(List<String> columns, Optional<Policy.Consent> consent, String source, long maxRows) {
    this.columns = List.copyOf(columns);
    this.consent = consent;
    this.source = source;
    this.maxRows = maxRows;
  }

  void subjects(SubjectKey subjects) {
    this.subjects = subjects;
  }

  void add(VectorSchemaRoot batch) {
    FieldVector[] cols = new FieldVector[columns.size()];
    for (int c = 0; c < cols.length; c++) cols[c] = numeric(batch, columns.get(c), source);
    FieldVector subject = consent.map(c -> column(batch, c.subjectColumn(), source)).orElse(null);
    Set<String> excluded = consent.map(c -> Set.copyOf(c.excludedSubjects())).orElse(Set.of());
    rows:
    for (int i = 0; i < batch.getRowCount() && values.size() < maxRows; i++) {
      if (subject != null && !subject.isNull(i) && excluded.contains(subjects.digest(text(subject, i)))) continue;
      double[] row = new double[cols.length];
      for (int c = 0; c < cols.length; c++) {
        if (cols[c].isNull(i)) continue rows;
        row[c] = value(cols[c], i);
        if (!Double.isFinite(row[c])) continue rows;
      }
      values.add(row);
    }
  }

  double[][] values() {
    return values.toArray(double[][]::new);
  }

  static FieldVector column(VectorSchemaRoot batch, String name, String source) {
    FieldVector v = batch.getVector(name);
    if (v == null) throw new PartyJobRefusedException("the job uses column '" + name + "', which " + source + " does not have");
    return v;
  }

  static FieldVector numeric(VectorSchemaRoot batch, String name, String source) {
    FieldVector v = column(batch, name, source);
    if (!(v instanceof BigIntVector) && !(v instanceof Float8Vector)) {
      throw new PartyJobRefusedException("column '" + name + "' of " + source + " is not numeric, so it cannot be computed on under encryption");
    }
    return v;
  }

  static double value(FieldVector v, int i) {
    return v instanceof BigIntVector b ? b.get(i) : ((Float8Vector) v).get(i);
  }

  static String text(FieldVector v, int i) {
    return switch (v) {
      case VarCharVector s -> new String(s.get(i), StandardCharsets.UTF_8);
      case BigIntVector b -> Long.toString(b.get(i));
      default -> String.valueOf(v.getObject(i));
    };
  }
}
