package io.covenant.tee.training;

import io.covenant.core.error.MalformedInputException;
import java.util.List;

/**
 * The rows a model trains on, as XGBoost reads them: {@code rows} x {@code features.size()} values in row-major
 * order (a missing value is {@code NaN}) and one label per row. It lives only inside the enclave; nothing in it is
 * ever sealed, logged or returned to a caller outside the worker.
 */
public record FeatureTable(List<String> features, String label, float[] values, float[] labels) {
  public FeatureTable {
    if (features == null || features.isEmpty()) throw new MalformedInputException("a training table needs at least one feature column besides the label");
    if (label == null || label.isBlank()) throw new MalformedInputException("a training table needs a label column");
    features = List.copyOf(features);
    if (values == null || labels == null || values.length != (long) labels.length * features.size()) {
      throw new MalformedInputException("a training table's values must hold one row of " + features.size() + " features per label");
    }
  }

  public int rows() {
    return labels.length;
  }

  /** A table from plain rows: {@code featureRows[i]} holds row i's features (null for missing), {@code labels[i]} its label. */
  public static FeatureTable of(List<String> features, String label, double[][] featureRows, double[] labelValues) {
    int n = labelValues.length, f = features.size();
    float[] v = new float[n * f];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) v[i * f + j] = (float) featureRows[i][j];
      y[i] = (float) labelValues[i];
    }
    return new FeatureTable(features, label, v, y);
  }

  @Override
  public String toString() {
    return "FeatureTable[" + rows() + " rows, label " + label + ", features " + features + "]";
  }
}
