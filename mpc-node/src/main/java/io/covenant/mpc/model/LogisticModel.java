package io.covenant.mpc.model;

import io.covenant.core.error.MalformedInputException;

/**
 * A trained logistic-regression model: weights per feature and an intercept. Predictions use the piecewise-linear
 * sigmoid the model was trained with; a row is classified 1 when w·x + b ≥ 0 (both sigmoids cross 1/2 there).
 */
public record LogisticModel(double[] weights, double intercept) {
  public LogisticModel {
    weights = weights.clone();
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  public double score(double[] row) {
    if (row.length != weights.length) {
      throw new MalformedInputException("a row of " + row.length + " features was given to a model of " + weights.length + " features");
    }
    double z = intercept;
    for (int k = 0; k < row.length; k++) z += weights[k] * row[k];
    return z;
  }

  /** The fraction of rows whose predicted class equals the 0/1 label. */
  public double accuracy(double[][] rows, double[] labels) {
    if (rows.length != labels.length || rows.length == 0) {
      throw new MalformedInputException("accuracy needs as many labels as rows, and at least one row (" + rows.length + " rows, "
          + labels.length + " labels)");
    }
    int right = 0;
    for (int i = 0; i < rows.length; i++) if ((score(rows[i]) >= 0 ? 1 : 0) == (labels[i] >= 0.5 ? 1 : 0)) right++;
    return (double) right / rows.length;
  }

  static double piecewiseSigmoid(double z) {
    if (z < -0.5) return 0;
    if (z < 0.5) return z + 0.5;
    return 1;
  }

  /**
   * The same mini-batch SGD in doubles, on pooled plaintext: the baseline the secure trainer is measured against.
   */
  public static LogisticModel trainInPlaintext(double[][] rows, double[] labels, SgdSchedule schedule) {
    int n = rows.length;
    if (n == 0 || labels.length != n) throw new MalformedInputException("training needs as many labels as rows, and at least one row");
    int d = rows[0].length;
    double[] w = new double[d + 1];
    double[] grad = new double[d + 1];
    for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
      for (int start = 0; start < n; start += schedule.batchSize()) {
        int end = Math.min(n, start + schedule.batchSize());
        java.util.Arrays.fill(grad, 0);
        double step = schedule.learningRate() / (end - start);
        for (int i = start; i < end; i++) {
          double z = w[d];
          for (int k = 0; k < d; k++) z += w[k] * rows[i][k];
          double err = (piecewiseSigmoid(z) - labels[i]) * step;
          for (int k = 0; k < d; k++) grad[k] += rows[i][k] * err;
          grad[d] += err;
        }
        for (int k = 0; k <= d; k++) w[k] -= grad[k];
      }
    }
    return new LogisticModel(java.util.Arrays.copyOf(w, d), w[d]);
  }
}
