package io.covenant.mpc.fl.model;

import io.covenant.core.error.MalformedInputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Logistic regression; parameters are the d feature weights followed by the bias. */
public record LogisticRegressionModel(int featureCount) implements Model {
  public LogisticRegressionModel {
    if (featureCount < 1) throw new MalformedInputException("a model needs at least one feature; got " + featureCount);
  }

  @Override
  public int parameterCount() {
    return featureCount + 1;
  }

  @Override
  public double[] initialParameters(long seed) {
    return new double[parameterCount()]; // the loss is convex: zero is as good a start as any, and needs no seed
  }

  @Override
  public double lossAndGradient(double[] params, DMatrixRMaj x, double[] y, double[] gradient) {
    int n = x.numRows;
    DMatrixRMaj w = DMatrixRMaj.wrap(featureCount, 1, params); // wrap reads the first d entries; the bias is last
    DMatrixRMaj z = new DMatrixRMaj(n, 1);
    CommonOps_DDRM.mult(x, w, z);
    double bias = params[featureCount];
    DMatrixRMaj residual = new DMatrixRMaj(n, 1);
    double loss = 0;
    double biasGradient = 0;
    for (int i = 0; i < n; i++) {
      double p = Model.sigmoid(z.data[i] + bias);
      loss += Model.crossEntropy(p, y[i]);
      residual.data[i] = (p - y[i]) / n;
      biasGradient += residual.data[i];
    }
    DMatrixRMaj g = new DMatrixRMaj(featureCount, 1);
    CommonOps_DDRM.multTransA(x, residual, g);
    System.arraycopy(g.data, 0, gradient, 0, featureCount);
    gradient[featureCount] = biasGradient;
    return loss / n;
  }

  @Override
  public double[] predict(double[] params, DMatrixRMaj x) {
    DMatrixRMaj z = new DMatrixRMaj(x.numRows, 1);
    CommonOps_DDRM.mult(x, DMatrixRMaj.wrap(featureCount, 1, params), z);
    double[] p = new double[x.numRows];
    for (int i = 0; i < p.length; i++) p[i] = Model.sigmoid(z.data[i] + params[featureCount]);
    return p;
  }
}
