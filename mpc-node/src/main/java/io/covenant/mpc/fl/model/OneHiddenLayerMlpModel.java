package io.covenant.mpc.fl.model;

import io.covenant.core.error.MalformedInputException;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A one-hidden-layer perceptron: p = sigmoid(w2 · tanh(W1 x + b1) + b2). Parameters, flat: W1 (h × d, row-major),
 * then b1 (h), then w2 (h), then b2 (1), so there are h·d + 2h + 1 of them.
 */
public record OneHiddenLayerMlpModel(int featureCount, int hiddenUnits) implements Model {
  public OneHiddenLayerMlpModel {
    if (featureCount < 1) throw new MalformedInputException("a model needs at least one feature; got " + featureCount);
    if (hiddenUnits < 1) throw new MalformedInputException("an MLP needs at least one hidden unit; got " + hiddenUnits);
  }

  @Override
  public int parameterCount() {
    return Math.addExact(Math.multiplyExact(hiddenUnits, featureCount), 2 * hiddenUnits + 1);
  }

  /** Glorot-uniform weights (Glorot and Bengio, AISTATS 2010), zero biases; deterministic in the seed. */
  @Override
  public double[] initialParameters(long seed) {
    double[] p = new double[parameterCount()];
    SplittableRandom r = new SplittableRandom(seed);
    double limit1 = Math.sqrt(6.0 / (featureCount + hiddenUnits));
    for (int i = 0; i < hiddenUnits * featureCount; i++) p[i] = r.nextDouble(-limit1, limit1);
    double limit2 = Math.sqrt(6.0 / (hiddenUnits + 1));
    int w2 = hiddenUnits * featureCount + hiddenUnits;
    for (int i = 0; i < hiddenUnits; i++) p[w2 + i] = r.nextDouble(-limit2, limit2);
    return p;
  }

  private DMatrixRMaj hidden(double[] params, DMatrixRMaj x) {
    int h = hiddenUnits;
    int d = featureCount;
    DMatrixRMaj w1 = new DMatrixRMaj(h, d);
    System.arraycopy(params, 0, w1.data, 0, h * d);
    DMatrixRMaj a = new DMatrixRMaj(x.numRows, h);
    CommonOps_DDRM.multTransB(x, w1, a); // (n × d)(d × h)
    int b1 = h * d;
    double[] ad = a.data;
    for (int i = 0; i < x.numRows; i++) {
      int row = i * h;
      for (int j = 0; j < h; j++) ad[row + j] = Math.tanh(ad[row + j] + params[b1 + j]);
    }
    return a;
  }

  private double[] logits(double[] params, DMatrixRMaj hidden) {
    int h = hiddenUnits;
    DMatrixRMaj w2 = new DMatrixRMaj(h, 1);
    System.arraycopy(params, h * featureCount + h, w2.data, 0, h);
    DMatrixRMaj z = new DMatrixRMaj(hidden.numRows, 1);
    CommonOps_DDRM.mult(hidden, w2, z);
    double b2 = params[parameterCount() - 1];
    for (int i = 0; i < z.data.length; i++) z.data[i] += b2;
    return z.data;
  }

  @Override
  public double lossAndGradient(double[] params, DMatrixRMaj x, double[] y, double[] gradient) {
    int n = x.numRows;
    int h = hiddenUnits;
    int d = featureCount;
    DMatrixRMaj a = hidden(params, x);
    double[] z = logits(params, a);
    DMatrixRMaj dz = new DMatrixRMaj(n, 1);
    double loss = 0;
    double gb2 = 0;
    for (int i = 0; i < n; i++) {
      double p = Model.sigmoid(z[i]);
      loss += Model.crossEntropy(p, y[i]);
      dz.data[i] = (p - y[i]) / n;
      gb2 += dz.data[i];
    }
    // Output layer: dL/dw2 = A^T dz.
    DMatrixRMaj gw2 = new DMatrixRMaj(h, 1);
    CommonOps_DDRM.multTransA(a, dz, gw2);
    // Hidden layer: dL/dA = dz w2^T, times tanh' = 1 - A^2.
    int w2at = h * d + h;
    double[] ad = a.data;
    for (int i = 0; i < n; i++) {
      int row = i * h;
      double dzi = dz.data[i];
      for (int j = 0; j < h; j++) {
        double t = ad[row + j];
        ad[row + j] = dzi * params[w2at + j] * (1 - t * t); // A is not needed any more: reuse it for dA
      }
    }
    DMatrixRMaj gw1 = new DMatrixRMaj(h, d);
    CommonOps_DDRM.multTransA(a, x, gw1); // (h × n)(n × d)
    System.arraycopy(gw1.data, 0, gradient, 0, h * d);
    int b1 = h * d;
    java.util.Arrays.fill(gradient, b1, b1 + h, 0.0);
    for (int i = 0; i < n; i++) {
      int row = i * h;
      for (int j = 0; j < h; j++) gradient[b1 + j] += ad[row + j];
    }
    System.arraycopy(gw2.data, 0, gradient, w2at, h);
    gradient[parameterCount() - 1] = gb2;
    return loss / n;
  }

  @Override
  public double[] predict(double[] params, DMatrixRMaj x) {
    double[] z = logits(params, hidden(params, x));
    for (int i = 0; i < z.length; i++) z[i] = Model.sigmoid(z[i]);
    return z;
  }
}
