package io.covenant.mpc.fl.model;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.fl.data.LabelledData;
import org.ejml.data.DMatrixRMaj;

/**
 * One party's local solver for a federated round: mini-batch SGD for {@code epochs} passes over its own rows, starting
 * from the global model w_g. With {@code proximalMu} = 0 this is the client update of FedAvg (McMahan et al.,
 * "Communication-Efficient Learning of Deep Networks from Decentralized Data", AISTATS 2017, Algorithm 1); with
 * μ &gt; 0 it minimises the FedProx objective F_k(w) + (μ/2)·‖w − w_g‖² (Li et al., "Federated Optimization in
 * Heterogeneous Networks", MLSys 2020, §3), whose proximal term keeps non-IID parties from drifting apart.
 *
 * <p>Batches follow a permutation drawn from {@code shuffleSeed}, so a run is reproducible.
 */
public final class LocalTraining {
  private LocalTraining() {}

  /** The locally trained parameters and the mean training loss over the last epoch's batches. */
  public record Result(double[] parameters, double meanLoss) {}

  public static Result train(Model model, double[] global, LabelledData data, int epochs, int batchSize, double learningRate,
      double proximalMu, long shuffleSeed) {
    if (global.length != model.parameterCount()) {
      throw new MalformedInputException("the global model has " + global.length + " parameters but " + model + " has " + model.parameterCount());
    }
    if (data.featureCount() != model.featureCount()) {
      throw new MalformedInputException("the data has " + data.featureCount() + " features but the model expects " + model.featureCount());
    }
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(proximalMu >= 0)) {
      throw new MalformedInputException("local training needs epochs ≥ 1, batch size ≥ 1, a positive learning rate and μ ≥ 0; got "
          + epochs + ", " + batchSize + ", " + learningRate + ", " + proximalMu);
    }
    int n = data.rows();
    int d = data.featureCount();
    int b = Math.min(batchSize, n);
    double[] w = global.clone();
    double[] g = new double[w.length];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    java.util.SplittableRandom random = new java.util.SplittableRandom(shuffleSeed);
    double lossSum = 0;
    int batches = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int i = n - 1; i > 0; i--) { // Fisher–Yates
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      lossSum = 0;
      batches = 0;
      for (int start = 0; start < n; start += b) {
        int rows = Math.min(b, n - start);
        DMatrixRMaj x = new DMatrixRMaj(rows, d);
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
          int src = order[start + r];
          System.arraycopy(data.features().data, src * d, x.data, r * d, d);
          y[r] = data.labels()[src];
        }
        lossSum += model.lossAndGradient(w, x, y, g);
        batches++;
        for (int k = 0; k < w.length; k++) w[k] -= learningRate * (g[k] + proximalMu * (w[k] - global[k]));
      }
    }
    return new Result(w, lossSum / batches);
  }
}
