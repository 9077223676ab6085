package io.covenant.mpc.fl.privacy;

import java.security.SecureRandom;

/**
 * Client-level differential privacy as in DP-FedAvg (McMahan, Ramage, Talwar and Zhang, "Learning Differentially
 * Private Recurrent Language Models", ICLR 2018, Algorithm 1): each hospital's model update is clipped to L2 norm S,
 * and the sum of updates carries Gaussian noise N(0, σ²S²) per coordinate.
 *
 * <p>Under secure aggregation nobody sees a single update to add the noise after summing, so each of the hospitals
 * adds its part: N(0, σ²S²/t), where t is the least number of hospitals whose inputs can make up a sum (the
 * secure-aggregation threshold). The unmasked sum of at least t contributions then carries noise of variance at least
 * σ²S², whoever dropped. Neighbouring jobs differ in one hospital's update replaced by zero ("zero-out", Kairouz et
 * al., ICML 2021), so the sensitivity is S and each round is the Gaussian mechanism with multiplier σ.
 */
public final class DpFedAvgNoise {
  private DpFedAvgNoise() {}

  /** Scales {@code update} in place to L2 norm at most {@code clippingNorm}; returns its norm before clipping. */
  public static double clip(double[] update, double clippingNorm) {
    double sq = 0;
    for (double v : update) sq += v * v;
    double norm = Math.sqrt(sq);
    if (norm > clippingNorm) {
      double scale = clippingNorm / norm;
      for (int i = 0; i < update.length; i++) update[i] *= scale;
    }
    return norm;
  }

  /** Adds this hospital's share of the noise, N(0, (σS)²/t) per coordinate, drawn from {@code random}. */
  public static void addNoiseShare(double[] update, double noiseMultiplier, double clippingNorm, int threshold, SecureRandom random) {
    double std = noiseMultiplier * clippingNorm / Math.sqrt(threshold);
    if (std == 0) return;
    for (int i = 0; i < update.length; i++) update[i] += std * random.nextGaussian();
  }
}
