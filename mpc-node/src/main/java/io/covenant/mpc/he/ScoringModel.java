package io.covenant.mpc.he;

import io.covenant.core.error.MalformedInputException;

/**
 * A consumer's pricing or risk model over a data owner's feature rows: score = w·x + b ({@link Link#LINEAR}) or
 * g(w·x + b) with the cubic stand-in g for the logistic function ({@link Link#LOGISTIC}, {@link SigmoidPolynomial}).
 * The weights and bias are the consumer's secret; the link function and the feature count are public.
 */
public record ScoringModel(double[] weights, double bias, Link link, SigmoidPolynomial sigmoid) {

  /** How the linear predictor becomes the score. */
  public enum Link { LINEAR, LOGISTIC }

  public ScoringModel {
    if (weights == null || weights.length == 0) throw new MalformedInputException("a scoring model needs at least one weight");
    for (double w : weights) {
      if (!Double.isFinite(w)) throw new MalformedInputException("a scoring model's weights must be finite numbers; got " + w);
    }
    if (!Double.isFinite(bias)) throw new MalformedInputException("a scoring model's bias must be a finite number; got " + bias);
    if (link == null) throw new MalformedInputException("a scoring model names its link: LINEAR or LOGISTIC");
    if (link == Link.LOGISTIC && sigmoid == null) sigmoid = SigmoidPolynomial.KIM_2018_DEGREE_3;
    weights = weights.clone();
  }

  public static ScoringModel linear(double[] weights, double bias) {
    return new ScoringModel(weights, bias, Link.LINEAR, null);
  }

  public static ScoringModel logistic(double[] weights, double bias) {
    return new ScoringModel(weights, bias, Link.LOGISTIC, SigmoidPolynomial.KIM_2018_DEGREE_3);
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  public int features() {
    return weights.length;
  }

  /** The plaintext score of one row, computed exactly as the encrypted circuit does (the cubic, not σ itself). */
  public double score(double[] row) {
    if (row.length != weights.length) throw new MalformedInputException("a row has " + row.length + " features; the model expects " + weights.length);
    double z = bias;
    for (int j = 0; j < row.length; j++) z += weights[j] * row[j];
    return link == Link.LINEAR ? z : sigmoid.apply(z);
  }

  @Override
  public String toString() {
    return link + " model over " + weights.length + " features (weights not shown)";
  }
}
