package io.covenant.mpc.fl.model;

import org.ejml.data.DMatrixRMaj;

/**
 * A binary classifier whose parameters are one flat vector, the unit federated averaging adds, masks and averages.
 * Implementations do their linear algebra with EJML.
 */
public sealed interface Model permits LogisticRegressionModel, OneHiddenLayerMlpModel {
  int featureCount();

  int parameterCount();

  /** Starting parameters for round one, the same for every party given the same seed. */
  double[] initialParameters(long seed);

  /**
   * The mean binary cross-entropy of {@code params} on the rows, and its gradient written into {@code gradient}
   * (which has {@link #parameterCount()} entries).
   */
  double lossAndGradient(double[] params, DMatrixRMaj features, double[] labels, double[] gradient);

  /** The predicted probability of the positive outcome, per row. */
  double[] predict(double[] params, DMatrixRMaj features);

  /** Mean binary cross-entropy without the gradient. */
  default double loss(double[] params, DMatrixRMaj features, double[] labels) {
    double[] p = predict(params, features);
    double sum = 0;
    for (int i = 0; i < p.length; i++) sum += crossEntropy(p[i], labels[i]);
    return sum / p.length;
  }

  static double crossEntropy(double probability, double label) {
    double p = Math.min(Math.max(probability, 1e-12), 1 - 1e-12);
    return label == 1.0 ? -Math.log(p) : -Math.log1p(-p);
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
