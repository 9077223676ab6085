package io.covenant.core.privacy;

import java.util.random.RandomGenerator;

/**
 * Exact sampling from the discrete Laplace distribution on the integers, {@code P(z) ∝ exp(-|z| / scale)} with
 * {@code scale = t / s}: Algorithm 2 of Canonne, Kamath &amp; Steinke, "The Discrete Gaussian for Differential
 * Privacy" (NeurIPS 2020, arXiv:2004.00010), built on their Algorithm 1 for Bernoulli(exp(-γ)) with rational γ.
 * Adding it to an integer-valued statistic of sensitivity Δ with {@code scale = Δ / ε} is ε-differentially private
 * (the geometric mechanism of Ghosh, Roughgarden &amp; Sundararajan, STOC 2009).
 *
 * <p>Only integer arithmetic on uniform integers is used: no floating point. Textbook Laplace noise computed with
 * doubles ({@code -b·ln(u)}) is not private as implemented: the set of doubles it can output depends on the true
 * value, so the low bits of a noisy answer can reveal it exactly (Mironov, "On Significance of the Least Significant
 * Bits for Differential Privacy", CCS 2012). Outputs here are integers, and the caller scales the statistic to
 * integers before adding them.
 *
 * <p>Expected cost: a few uniform draws per sample. Not thread-safe if the generator is not.
 */
public final class DiscreteLaplace implements IntegerNoise {
  private final long t;
  private final long s;
  private final RandomGenerator random;

  /** The distribution with scale {@code t / s}; both at least 1 and at most 2^40. */
  public DiscreteLaplace(long t, long s, RandomGenerator random) {
    if (t < 1 || s < 1 || t > 1L << 40 || s > 1L << 40) {
      throw new IllegalArgumentException("discrete Laplace scale " + t + "/" + s + " is outside 1..2^40 for numerator and denominator");
    }
    this.t = t;
    this.s = s;
    this.random = random;
  }

  /** The variance, {@code 2q / (1-q)^2} with {@code q = exp(-s/t)}: for tests and documentation. */
  @Override
  public double variance() {
    double x = (double) s / t;
    double oneMinusQ = -Math.expm1(-x); // exact even when the scale is large and q is within 1e-12 of 1
    return 2 * Math.exp(-x) / (oneMinusQ * oneMinusQ);
  }

  /** One sample. */
  @Override
  public long sample() {
    while (true) {
      long u = random.nextLong(t);
      if (!bernoulliExpMinus(u, t)) continue;
      long v = 0;
      while (bernoulliExpMinus(1, 1)) v++;
      long x = Math.addExact(u, Math.multiplyExact(t, v));
      long y = x / s;
      boolean negative = random.nextBoolean();
      if (negative && y == 0) continue;
      return negative ? -y : y;
    }
  }

  /** Bernoulli(exp(-n/d)) for n ≥ 0, d ≥ 1: CKS Algorithm 1, reducing γ > 1 to factors of exp(-1). */
  private boolean bernoulliExpMinus(long n, long d) {
    while (n > d) {
      if (!bernoulliExpMinusAtMostOne(1, 1)) return false;
      n -= d;
    }
    return bernoulliExpMinusAtMostOne(n, d);
  }

  /** For 0 ≤ n/d ≤ 1: draw A_k ~ Bernoulli(γ/k) for k = 1, 2, ... until one is 0; exp(-γ) = P(that k is odd). */
  private boolean bernoulliExpMinusAtMostOne(long n, long d) {
    long k = 1;
    while (random.nextLong(Math.multiplyExact(d, k)) < n) k++;
    return (k & 1) == 1;
  }
}
