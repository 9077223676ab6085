package io.covenant.mpc.fl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The analytic gradients of both models agree with central finite differences of their loss, parameter by parameter. */
class GradientsMatchFiniteDifferences {

  private static void check(Model model) {
    SplittableRandom r = new SplittableRandom(17);
    int n = 23;
    DMatrixRMaj x = new DMatrixRMaj(n, model.featureCount());
    for (int i = 0; i < x.data.length; i++) x.data[i] = r.nextGaussian();
    double[] y = new double[n];
    for (int i = 0; i < n; i++) y[i] = r.nextBoolean() ? 1 : 0;
    double[] p = model.initialParameters(3);
    for (int i = 0; i < p.length; i++) p[i] += 0.1 * r.nextGaussian();
    double[] g = new double[p.length];
    double loss = model.lossAndGradient(p, x, y, g);
    assertEquals(model.loss(p, x, y), loss, 1e-12);
    double h = 1e-6;
    for (int k = 0; k < p.length; k++) {
      double[] plus = p.clone();
      double[] minus = p.clone();
      plus[k] += h;
      minus[k] -= h;
      double numeric = (model.loss(plus, x, y) - model.loss(minus, x, y)) / (2 * h);
      assertEquals(numeric, g[k], 1e-6, "parameter " + k + " of " + model);
    }
  }

  @Test
  void logisticRegression() {
    check(new LogisticRegressionModel(5));
  }

  @Test
  void oneHiddenLayerMlp() {
    check(new OneHiddenLayerMlpModel(4, 6));
  }
}
