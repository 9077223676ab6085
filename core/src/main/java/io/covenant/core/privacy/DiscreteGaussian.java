package io.covenant.core.privacy;

import java.math.BigInteger;
import java.util.random.RandomGenerator;

/**
 * Exact sampling from the discrete Gaussian on the integers, {@code P(z) ∝ exp(-z² / (2σ²))}, with σ² a ratio of
 * integers: Algorithm 3 of Canonne, Kamath &amp; Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS
 * 2020, arXiv:2004.00010). It draws Y from the discrete Laplace of scale t = ⌊σ⌋ + 1 ({@link DiscreteLaplace}) and keeps
 * it with probability exp(-(|Y| - σ²/t)² / (2σ²)), decided exactly by their Algorithm 1 on big integers.
 *
 * <p>Privacy (their Theorem 4): adding it to an integer statistic of sensitivity Δ is ρ-zero-concentrated DP with
 * ρ = Δ² / (2σ²); zCDP composes by adding ρ, and ρ-zCDP implies (ρ + 2·sqrt(ρ·ln(1/δ)), δ)-DP for every δ > 0 (Bun
 * &amp; Steinke, TCC 2016, Proposition 1.3). {@link #rhoFor} inverts that conversion for a target (ε, δ).
 *
 * <p>As with {@link DiscreteLaplace}, no floating point touches the sample: floating-point Gaussian noise leaks through
 * its low bits (Mironov, CCS 2012). The variance is slightly below σ² (their Proposition 19).
 */
public final class DiscreteGaussian implements IntegerNoise {
  private final BigInteger sigmaSquaredNumerator;
  private final BigInteger sigmaSquaredDenominator;
  private final long t;
  private final DiscreteLaplace laplace;
  private final RandomGenerator random;

  /** The distribution with σ² = {@code numerator / denominator}, both at least 1; σ at most 2^39. */
  public DiscreteGaussian(long numerator, long denominator, RandomGenerator random) {
    if (numerator < 1 || denominator < 1) throw new IllegalArgumentException("σ² = " + numerator + "/" + denominator + " must be positive");
    this.sigmaSquaredNumerator = BigInteger.valueOf(numerator);
    this.sigmaSquaredDenominator = BigInteger.valueOf(denominator);
    // ⌊σ⌋ = ⌊sqrt(⌊σ²⌋)⌋, since the square root is monotone.
    long floorSigma = BigInteger.valueOf(numerator / denominator).sqrt().longValueExact();
    if (floorSigma >= 1L << 39) throw new IllegalArgumentException("σ above 2^39 is not supported");
    this.t = floorSigma + 1;
    this.laplace = new DiscreteLaplace(t, 1, random);
    this.random = random;
  }

  /**
   * The ρ of zCDP that gives (ε, δ)-DP by Bun and Steinke's conversion: the root of ρ + 2·sqrt(ρ·L) = ε with L = ln(1/δ),
   * that is ρ = (sqrt(L + ε) − sqrt(L))².
   */
  public static double rhoFor(double epsilon, double delta) {
    if (!(epsilon > 0) || !(delta > 0) || !(delta < 1)) throw new IllegalArgumentException("need ε > 0 and 0 < δ < 1, got " + epsilon + ", " + delta);
    double l = Math.log(1 / delta);
    double r = Math.sqrt(l + epsilon) - Math.sqrt(l);
    return r * r;
  }

  /** σ² of the distribution, as a double: for calibration checks and documentation. */
  public double sigmaSquared() {
    return sigmaSquaredNumerator.doubleValue() / sigmaSquaredDenominator.doubleValue();
  }

  @Override
  public double variance() {
    return sigmaSquared(); // an upper bound; the discrete Gaussian's variance is at most σ² (CKS Proposition 19)
  }

  @Override
  public long sample() {
    BigInteger bt = BigInteger.valueOf(t);
    // γ = (|Y| − σ²/t)² / (2σ²) = (|Y|·den·t − num)² / (2·num·den·t²), exactly.
    BigInteger gammaDenominator = BigInteger.TWO.multiply(sigmaSquaredNumerator).multiply(sigmaSquaredDenominator).multiply(bt).multiply(bt);
    while (true) {
      long y = laplace.sample();
      BigInteger centred = BigInteger.valueOf(Math.abs(y)).multiply(sigmaSquaredDenominator).multiply(bt).subtract(sigmaSquaredNumerator);
      if (bernoulliExpMinus(centred.multiply(centred), gammaDenominator)) return y;
    }
  }

  /** Bernoulli(exp(-n/d)) for n ≥ 0, d ≥ 1 (CKS Algorithm 1), on big integers. */
  private boolean bernoulliExpMinus(BigInteger n, BigInteger d) {
    while (n.compareTo(d) > 0) {
      if (!bernoulliExpMinusAtMostOne(BigInteger.ONE, BigInteger.ONE)) return false;
      n = n.subtract(d);
    }
    return bernoulliExpMinusAtMostOne(n, d);
  }

  /** For 0 ≤ n/d ≤ 1: draw A_k ~ Bernoulli(γ/k) for k = 1, 2, ... until one is 0; exp(-γ) = P(that k is odd). */
  private boolean bernoulliExpMinusAtMostOne(BigInteger n, BigInteger d) {
    long k = 1;
    while (uniformBelow(d.multiply(BigInteger.valueOf(k))).compareTo(n) < 0) k++;
    return (k & 1) == 1;
  }

  /** A uniform integer in [0, bound), by rejection over bitLength(bound) random bits. */
  private BigInteger uniformBelow(BigInteger bound) {
    if (bound.bitLength() < 63) return BigInteger.valueOf(random.nextLong(bound.longValueExact()));
    int bits = bound.bitLength();
    while (true) {
      byte[] raw = new byte[(bits + 7) / 8];
      for (int i = 0; i < raw.length; i += 8) {
        long word = random.nextLong();
        for (int j = 0; j < 8 && i + j < raw.length; j++) raw[i + j] = (byte) (word >>> (8 * j));
      }
      BigInteger candidate = new BigInteger(1, raw).shiftRight(raw.length * 8 - bits);
      if (candidate.compareTo(bound) < 0) return candidate;
    }
  }
}
