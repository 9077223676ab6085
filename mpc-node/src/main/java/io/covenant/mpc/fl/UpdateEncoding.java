package io.covenant.mpc.fl;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.ring.FixedPoint;
import java.util.Arrays;

/**
 * How one hospital's contribution to a round becomes a vector over Z_2^64, the ring in which secure aggregation's masks
 * cancel exactly: fixed point with 24 fractional bits (resolution 6e-8, magnitudes below 5e11). Layout:
 *
 * <ol>
 *   <li>p entries: the hospital's weight × its model update (local model − global model);
 *   <li>1 entry: its weight (its row count for FedAvg's weighted mean; 1 under DP, where weights must not depend on
 *       the data);
 *   <li>only without DP: its summed training loss of the starting model, its row count, and two {@value #AUC_BINS}-bin
 *       histograms of the starting model's scores on its positive and negative rows, from which the aggregator gets the
 *       pooled loss and AUC, and nothing per hospital.
 * </ol>
 *
 * <p>Under DP the metrics are left out: they are not clipped or noised, so summing them would spend privacy that the
 * accountant does not count.
 */
final class UpdateEncoding {
  static final FixedPoint FIXED = new FixedPoint(24);
  static final int AUC_BINS = 1000;

  private final int parameters;
  private final boolean metrics;

  UpdateEncoding(int parameters, boolean metrics) {
    this.parameters = parameters;
    this.metrics = metrics;
  }

  int length() {
    return parameters + 1 + (metrics ? 2 + 2 * AUC_BINS : 0);
  }

  boolean carriesMetrics() {
    return metrics;
  }

  /** A hospital's local view of the starting model on its own rows. */
  record LocalMetrics(double lossSum, long rows, long[] positiveScores, long[] negativeScores) {
    static LocalMetrics of(double[] scores, double[] labels) {
      long[] pos = new long[AUC_BINS];
      long[] neg = new long[AUC_BINS];
      double loss = 0;
      for (int i = 0; i < scores.length; i++) {
        int bin = Math.min(AUC_BINS - 1, (int) Math.floor(scores[i] * AUC_BINS));
        if (labels[i] == 1.0) pos[bin]++;
        else neg[bin]++;
        loss += io.covenant.mpc.fl.model.Model.crossEntropy(scores[i], labels[i]);
      }
      return new LocalMetrics(loss, scores.length, pos, neg);
    }
  }

  long[] encode(double[] weightedUpdate, double weight, LocalMetrics m) {
    if (weightedUpdate.length != parameters) throw new MalformedInputException("an update of " + weightedUpdate.length + " entries for a model of " + parameters);
    double[] v = new double[length()];
    System.arraycopy(weightedUpdate, 0, v, 0, parameters);
    v[parameters] = weight;
    if (metrics) {
      v[parameters + 1] = m.lossSum();
      v[parameters + 2] = m.rows();
      for (int i = 0; i < AUC_BINS; i++) {
        v[parameters + 3 + i] = m.positiveScores()[i];
        v[parameters + 3 + AUC_BINS + i] = m.negativeScores()[i];
      }
    }
    return FIXED.encode(v);
  }

  /** The decoded sum of every contributor's vector. */
  record Aggregate(double[] weightedUpdateSum, double weightSum, double loss, double auc) {
    double[] meanUpdate() {
      double[] u = weightedUpdateSum.clone();
      for (int i = 0; i < u.length; i++) u[i] /= weightSum;
      return u;
    }
  }

  Aggregate decode(long[] sum) {
    if (sum.length != length()) throw new MalformedInputException("an aggregate of " + sum.length + " entries where " + length() + " were expected");
    double[] v = FIXED.decode(sum);
    double[] update = Arrays.copyOf(v, parameters);
    double weight = v[parameters];
    if (!metrics) return new Aggregate(update, weight, Double.NaN, Double.NaN);
    double rows = v[parameters + 2];
    double loss = v[parameters + 1] / rows;
    return new Aggregate(update, weight, loss, binnedAuc(v, parameters + 3));
  }

  /** The AUC from pooled score histograms; pairs in the same bin count one half, as tied scores do. */
  private static double binnedAuc(double[] v, int at) {
    double positives = 0;
    double negatives = 0;
    for (int i = 0; i < AUC_BINS; i++) {
      positives += Math.rint(v[at + i]);
      negatives += Math.rint(v[at + AUC_BINS + i]);
    }
    if (positives == 0 || negatives == 0) return Double.NaN;
    double pairs = 0;
    double positivesAbove = positives;
    for (int i = 0; i < AUC_BINS; i++) {
      double pos = Math.rint(v[at + i]);
      double neg = Math.rint(v[at + AUC_BINS + i]);
      positivesAbove -= pos;
      pairs += neg * (positivesAbove + 0.5 * pos);
    }
    return pairs / (positives * negatives);
  }
}
