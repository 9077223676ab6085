package io.covenant.node.fljob;

import io.covenant.core.crypto.SubjectKey;
import io.covenant.mpc.fl.data.LabelledData;
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
import org.ejml.data.DMatrixRMaj;

/**
 * A hospital's training rows for a federated job, read at its own node: the feature columns and the 0/1 label of each
 * row. Rows of data subjects who withdrew consent are left out first; so are rows with a missing or non-finite value
 * (complete cases only: imputing is the owner's decision, not the engine's). A label other than 0 or 1 refuses the job.
 */
final class FlRows {
  private final List<String> features;
  private final String label;
  private final Optional<Policy.Consent> consent;
  private final SubjectKey subjects;
  private final String source;
  private final List<double[]> rows = new ArrayList<>();
  private final List<Double> labels = new ArrayList<>();

  FlRows(List<String> features, String label, Optional<Policy.Consent> consent, SubjectKey subjects, String source) {
    this.features = List.copyOf(features);
    this.label = label;
    this.consent = consent;
    this.subjects = subjects;
    this.source = source;
  }

  void add(VectorSchemaRoot batch) {
    FieldVector[] cols = new FieldVector[features.size()];
    for (int c = 0; c < cols.length; c++) cols[c] = numeric(batch, features.get(c));
    FieldVector y = numeric(batch, label);
    FieldVector subject = consent.map(c -> column(batch, c.subjectColumn())).orElse(null);
    Set<String> excluded = consent.map(c -> Set.copyOf(c.excludedSubjects())).orElse(Set.of());
    rows:
    for (int i = 0; i < batch.getRowCount(); i++) {
      if (subject != null && !subject.isNull(i) && excluded.contains(subjects.digest(text(subject, i)))) continue;
      if (y.isNull(i)) continue;
      double outcome = value(y, i);
      if (outcome != 0 && outcome != 1) {
        throw new FlJobRefusedException("the label column '" + label + "' of " + source + " holds " + outcome + "; a federated model predicts a 0/1 outcome");
      }
      double[] row = new double[cols.length];
      for (int c = 0; c < cols.length; c++) {
        if (cols[c].isNull(i)) continue rows;
        row[c] = value(cols[c], i);
        if (!Double.isFinite(row[c])) continue rows;
      }
      rows.add(row);
      labels.add(outcome);
    }
  }

  int size() {
    return rows.size();
  }

  LabelledData data() {
    DMatrixRMaj x = new DMatrixRMaj(rows.size(), features.size());
    double[] y = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, x.data, i * features.size(), features.size());
      y[i] = labels.get(i);
    }
    return new LabelledData(x, y);
  }

  private FieldVector numeric(VectorSchemaRoot batch, String name) {
    FieldVector v = column(batch, name);
    if (!(v instanceof BigIntVector) && !(v instanceof Float8Vector)) {
      throw new FlJobRefusedException("column '" + name + "' of " + source + " is not numeric, so a model cannot train on it");
    }
    return v;
  }

  private static double value(FieldVector v, int i) {
    return v instanceof BigIntVector b ? b.get(i) : ((Float8Vector) v).get(i);
  }

  private FieldVector column(VectorSchemaRoot batch, String name) {
    FieldVector v = batch.getVector(name);
    if (v == null) throw new FlJobRefusedException("the model uses column '" + name + "', which " + source + " does not have");
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
