package io.covenant.coordinator.vehicles;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.he.FeatureRanges;
import io.covenant.mpc.he.ScoringModel;
import java.security.SecureRandom;

/**
 * An insurer's private usage-based pricing model over {@link UbiFeatures}: risk score = b + Σ w_j·x_j (linear). The
 * weights are the insurer's secret: on the HE route they leave the insurer's side only encrypted under a CKKS key made
 * there for the job (docs/vehicles.md, "The HE route").
 *
 * <p>{@link #RANGES} are the public ranges the features are expected in; the insurer's probe rows (which ride in clear
 * beside its encrypted weights so that it can measure the precision) are drawn uniformly in them with a fresh random
 * source, so they depend on nothing of the weights.
 */
public record UbiPricingModel(String name, double[] weights, double bias) {
  /** Upper ends of the features' public ranges (lower ends 0), in {@link UbiFeatures#NAMES} order. */
  public static final double[] RANGES = {25, 100, 100, 100};
  /** The largest |score| the scoring parameters keep exact (see FeatureRanges). */
  static final double SCORE_LIMIT = FeatureRanges.LINEAR_LIMIT;

  public UbiPricingModel {
    if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) throw new MalformedInputException("a pricing model's name is lower-case letters, digits, '.', '_' or '-'");
    if (weights == null || weights.length != UbiFeatures.NAMES.size()) {
      throw new MalformedInputException("a UBI pricing model has one weight per feature " + UbiFeatures.NAMES + ", got " + (weights == null ? 0 : weights.length));
    }
    weights = weights.clone();
    ScoringModel.linear(weights, bias); // finite numbers only
    double worst = Math.abs(bias);
    for (int j = 0; j < weights.length; j++) worst += Math.abs(weights[j]) * RANGES[j];
    if (worst >= SCORE_LIMIT) {
      throw new MalformedInputException("the model can score up to " + worst + " over the features' ranges; the CKKS parameters keep scores below " + SCORE_LIMIT
          + " exact: scale the weights down");
    }
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  public ScoringModel scoring() {
    return ScoringModel.linear(weights, bias);
  }

  /** The plaintext score of one vehicle's features (what the HE route must reproduce within CKKS precision). */
  public double score(double[] features) {
    return scoring().score(features);
  }

  /** Eight probe rows uniform in the public ranges, from a fresh random source. */
  static double[][] probes() {
    return new FeatureRanges(new double[RANGES.length], RANGES).draw(new SecureRandom());
  }

  /** Aurora Insurance's model in the demo: 4.0571 + 3.1742·harsh + 0.12337·night + 0.81553·speeding + 0.26119·(100 km). */
  public static final UbiPricingModel AURORA = new UbiPricingModel("aurora-ubi-pricing", new double[] {3.1742, 0.12337, 0.81553, 0.26119}, 4.0571);
  /** Beacon Mutual's model in the demo: 6.2113 + 2.2457·harsh + 0.19631·night + 0.61789·speeding + 0.40723·(100 km). */
  public static final UbiPricingModel BEACON = new UbiPricingModel("beacon-ubi-pricing", new double[] {2.2457, 0.19631, 0.61789, 0.40723}, 6.2113);
}
