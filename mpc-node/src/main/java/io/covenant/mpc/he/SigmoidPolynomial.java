package io.covenant.mpc.he;

/**
 * An odd cubic that stands in for the logistic function σ(z) = 1/(1+e^-z) under homomorphic encryption, where only
 * additions and multiplications exist: g(z) = c0 + c1·(z/r) + c3·(z/r)³ on [-r, r].
 *
 * <p>{@link #KIM_2018_DEGREE_3} is the least-squares fit on [-8, 8] of Kim, Song, Kim, Lee and Cheon, "Logistic
 * regression model training based on the approximate homomorphic encryption", BMC Medical Genomics 11 (Suppl 4):83,
 * 2018, §"Polynomial approximation" (g3(x) = 0.5 + 1.20096·(x/8) − 0.81562·(x/8)³; the same fit is used by the HEaaN
 * examples). Its largest distance from σ on [-8, 8] is 0.114 (0.098 on [-4, 4]; it is a fit for training, not for exact probabilities); outside the interval it
 * diverges, so a model must keep |w·x + b| ≤ 8. Depth: 2 multiplications after z (z² and c3·z in parallel, then their
 * product), 3 rescales in all with the inner product.
 */
public record SigmoidPolynomial(double c0, double c1, double c3, double radius, String source) {

  public static final SigmoidPolynomial KIM_2018_DEGREE_3 =
      new SigmoidPolynomial(0.5, 1.20096, -0.81562, 8.0, "Kim et al. 2018 (BMC Med Genomics 11:83), least squares on [-8, 8]");

  /** g(z), in plaintext: what the encrypted evaluation approximates. */
  public double apply(double z) {
    double t = z / radius;
    return c0 + c1 * t + c3 * t * t * t;
  }

  /** The coefficient of z (the radius folded in). */
  double linear() {
    return c1 / radius;
  }

  /** The coefficient of z³ (the radius folded in). */
  double cubic() {
    return c3 / (radius * radius * radius);
  }

  /** The largest |g(z) − σ(z)| over [-r, r], sampled finely: the approximation error, separate from the HE error. */
  public double maxDistanceFromLogistic() {
    double max = 0;
    for (int i = 0; i <= 16_000; i++) {
      double z = -radius + 2 * radius * i / 16_000.0;
      max = Math.max(max, Math.abs(apply(z) - 1 / (1 + Math.exp(-z))));
    }
    return max;
  }
}
