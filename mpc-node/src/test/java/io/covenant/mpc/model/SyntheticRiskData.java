package io.covenant.mpc.model;

import java.util.SplittableRandom;

/**
 * A synthetic vertical dataset on which logistic regression is meaningful: standard-normal features (the hospital's
 * columns) and a 0/1 label (the insurer's) drawn from a logistic model with known weights, so the best achievable
 * accuracy is well above chance but below 1.
 */
record SyntheticRiskData(double[][] features, double[] labels) {
  static SyntheticRiskData generate(int rows, int features, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] truth = new double[features];
    for (int k = 0; k < features; k++) truth[k] = r.nextDouble(-1.5, 1.5);
    double[][] x = new double[rows][features];
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      double z = 0.3;
      for (int k = 0; k < features; k++) {
        x[i][k] = gaussian(r);
        z += truth[k] * x[i][k];
      }
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    return new SyntheticRiskData(x, y);
  }

  private static double gaussian(SplittableRandom r) {
    double u = r.nextDouble(Double.MIN_VALUE, 1);
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
