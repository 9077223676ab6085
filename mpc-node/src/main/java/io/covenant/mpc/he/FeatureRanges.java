package io.covenant.mpc.he;

import io.covenant.core.error.MalformedInputException;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The ranges a scoring consumer declares for the owner's feature columns (low_j ≤ x_j ≤ high_j), and the probe rows it
 * draws in them. The ranges are public: the probe rows reach the data owner in the clear, because the owner packs them
 * as plaintext beside its own rows ({@link ScoringOwner}), so they show the ranges; they must show nothing else. Each
 * job's eight probe rows are therefore drawn uniformly in the ranges from a {@link SecureRandom}, afresh for every job,
 * and nothing of the weights enters the draw: the same ranges give the same distribution of rows whatever the model.
 *
 * <p>Why draw them at the ranges' size: the CKKS error of a slot of Σ_j p_j ⊙ W_j is Σ_j x_j·e_j plus the encoding and
 * rescaling errors, where e_j is the fresh encryption error of W_j (Cheon, Kim, Kim and Song, "Homomorphic encryption
 * for arithmetic of approximate numbers", ASIACRYPT 2017, §3: multiplying a ciphertext by a plaintext multiplies its
 * error by the plaintext's size, additions add errors). The error grows with |x_j|, so probes at the size of the rows
 * measure the error at the rows' size.
 *
 * <p>Why the model must fit its ranges: a probe row is useful only if its score comes back within the stated bound.
 * For a linear score that is a matter of the CKKS range: the score is decrypted one rescale down, at modulus
 * 2^(52+38+38) and scale about 2^38 ({@link HeParameters#CKKS_SCORING}), which holds |score| below 2^89 (a value past
 * the modulus wraps around and, through the decoding's inverse transform, garbles every slot); {@link #LINEAR_LIMIT}
 * keeps 2^64, far inside it (measured: scores of 10^26 decrypt within 10^-8 of their size). For a logistic score it is
 * the sigmoid polynomial's radius: outside it the cubic is no stand-in for σ, and its slope (at most 0.16 inside) grows
 * with z², so the error the bound allows for z would no longer bound the score's. Rather than shrink a probe that would
 * leave that range (the shrinking would depend on the weights, and the owner could read it), the consumer refuses a
 * model whose largest |w·x + b| over its declared ranges exceeds {@link #limit}: then every row drawn in the ranges
 * fits, and so does every owner row inside them.
 */
public record FeatureRanges(double[] low, double[] high) {

  /** Probe rows per job (and per ciphertext: the probe slots of every block). */
  public static final int PROBES = 8;

  /** The largest |score| a linear model may reach over its ranges: 2^64, well inside the 2^89 its ciphertext holds. */
  public static final double LINEAR_LIMIT = 0x1p64;

  public FeatureRanges {
    if (low == null || high == null || low.length == 0 || low.length != high.length) {
      throw new MalformedInputException("feature ranges name a lowest and a highest value for each feature, at least one");
    }
    low = low.clone();
    high = high.clone();
    for (int j = 0; j < low.length; j++) {
      if (!Double.isFinite(low[j]) || !Double.isFinite(high[j]) || low[j] > high[j]) {
        throw new MalformedInputException("feature " + (j + 1) + "'s range [" + low[j] + ", " + high[j] + "] is not a finite range from low to high");
      }
    }
  }

  /** Ranges |x_j| ≤ scales[j]: what a model file's {@code featureScales} declares. */
  public static FeatureRanges symmetric(double[] scales) {
    double[] low = new double[scales.length];
    for (int j = 0; j < scales.length; j++) {
      if (!(scales[j] > 0) || !Double.isFinite(scales[j])) {
        throw new MalformedInputException("feature " + (j + 1) + "'s scale (the largest |value| expected) is a positive number; got " + scales[j]);
      }
      low[j] = -scales[j];
    }
    return new FeatureRanges(low, scales);
  }

  /** Every feature in [-1, 1]: for models over features scaled to about 1. */
  public static FeatureRanges unit(int features) {
    double[] ones = new double[features];
    java.util.Arrays.fill(ones, 1);
    return symmetric(ones);
  }

  @Override
  public double[] low() {
    return low.clone();
  }

  @Override
  public double[] high() {
    return high.clone();
  }

  public int features() {
    return low.length;
  }

  /** The largest |x_j| the ranges allow, per feature. */
  public double[] scales() {
    double[] s = new double[low.length];
    for (int j = 0; j < s.length; j++) s[j] = Math.max(Math.abs(low[j]), Math.abs(high[j]));
    return s;
  }

  /**
   * The largest |w·x + b| of {@code model} over the ranges (exact: each term takes its extreme at an end of its range).
   * The model's weights enter it: it is for the consumer's own check, never for anything the owner sees.
   */
  public double largestPredictor(ScoringModel model) {
    requireFeatures(model);
    double[] w = model.weights();
    double top = model.bias();
    double bottom = model.bias();
    for (int j = 0; j < w.length; j++) {
      top += Math.max(w[j] * low[j], w[j] * high[j]);
      bottom += Math.min(w[j] * low[j], w[j] * high[j]);
    }
    return Math.max(Math.abs(top), Math.abs(bottom));
  }

  /**
   * The largest |w·x + b| a model with {@code link} may reach: {@link #LINEAR_LIMIT} for a linear score; for a logistic
   * one the sigmoid polynomial's radius, outside which the cubic is no stand-in for σ (SigmoidPolynomial).
   */
  public static double limit(ScoringModel model) {
    return model.link() == ScoringModel.Link.LOGISTIC ? model.sigmoid().radius() : LINEAR_LIMIT;
  }

  /**
   * Refuses {@code model} unless its predictor stays within {@link #limit} over the ranges. The message names the
   * ranges and the limit, both public, but not how far the model goes past it (that is a function of the weights, and
   * a refused job's reason can reach the ledger).
   */
  public void requireFits(ScoringModel model) {
    if (!(largestPredictor(model) <= limit(model))) {
      throw new MalformedInputException("the " + model.link().toString().toLowerCase(java.util.Locale.ROOT) + " model's |w·x + b| can exceed " + limit(model)
          + " for features within the declared scales " + java.util.Arrays.toString(scales()) + " (" + (model.link() == ScoringModel.Link.LOGISTIC
              ? "the sigmoid polynomial stands in for σ only within that radius" : "the CKKS ciphertext holds scores only below that size")
          + "); declare smaller featureScales, or scale the features or the weights down, and store the model again");
    }
  }

  /** This job's probe rows for {@code model}: it must fit the ranges; the rows are drawn afresh from a SecureRandom. */
  public double[][] probesFor(ScoringModel model) {
    requireFits(model);
    return draw(new SecureRandom());
  }

  /** {@link #PROBES} rows uniform in the ranges; {@code random} is the only other input (no model enters). */
  public double[][] draw(RandomGenerator random) {
    double[][] rows = new double[PROBES][low.length];
    for (double[] row : rows) for (int j = 0; j < row.length; j++) row[j] = low[j] == high[j] ? low[j] : random.nextDouble(low[j], high[j]);
    return rows;
  }

  /**
   * The error the consumer states and accepts per score of {@code model} for rows within these ranges:
   * {@link ScoringConsumer#DEFAULT_BOUND} for features and weights of size 1, growing in proportion to the largest
   * Σ_j |x_j| the ranges allow plus Σ_j |w_j| + |b| (each weight's encryption error is multiplied by its feature, and
   * each feature's encoding error by its weight, see above). It stays with the consumer; the weights may enter it.
   */
  public double bound(ScoringModel model) {
    requireFeatures(model);
    double magnitude = Math.abs(model.bias());
    for (double s : scales()) magnitude += s;
    for (double w : model.weights()) magnitude += Math.abs(w);
    return ScoringConsumer.DEFAULT_BOUND * Math.max(1, magnitude);
  }

  private void requireFeatures(ScoringModel model) {
    if (model.features() != low.length) {
      throw new MalformedInputException("the model has " + model.features() + " weights but " + low.length + " feature ranges are declared; declare one per weight");
    }
  }
}
