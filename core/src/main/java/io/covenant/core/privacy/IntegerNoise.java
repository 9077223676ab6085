package io.covenant.core.privacy;

/** Integer-valued noise added to an integer statistic before it is released: {@link DiscreteLaplace} or {@link DiscreteGaussian}. */
public sealed interface IntegerNoise permits DiscreteLaplace, DiscreteGaussian {
  /** One sample. */
  long sample();

  /** The variance (for a discrete Gaussian, its σ², an upper bound). */
  double variance();
}
