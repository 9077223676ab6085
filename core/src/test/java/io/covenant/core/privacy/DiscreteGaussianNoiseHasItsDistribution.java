package io.covenant.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sampler against the discrete Gaussian law P(z) = exp(-z²/(2σ²)) / Σ_k exp(-k²/(2σ²)), computed here by summing
 * the normaliser directly: mean 0, the law's variance, and the probabilities of 0, ±1, ±2. Tolerances are 6 standard
 * errors over 200,000 draws from SecureRandom. The (ε, δ) → ρ conversion is checked against its defining equation and
 * a published value.
 */
class DiscreteGaussianNoiseHasItsDistribution {
  private static final int DRAWS = 200_000;

  @ParameterizedTest(name = "σ² = {0}/{1}")
  @CsvSource({"1, 1", "9, 4", "25, 1", "1, 3", "1000, 7"})
  void matchesTheLaw(long numerator, long denominator) {
    DiscreteGaussian noise = new DiscreteGaussian(numerator, denominator, new SecureRandom());
    double s2 = (double) numerator / denominator;
    double norm = 0;
    double second = 0;
    double fourth = 0;
    int reach = (int) (40 * Math.sqrt(s2)) + 40;
    for (int k = -reach; k <= reach; k++) {
      double w = Math.exp(-(double) k * k / (2 * s2));
      norm += w;
      second += (double) k * k * w;
      fourth += Math.pow(k, 4) * w;
    }
    double variance = second / norm;
    assertTrue(variance <= s2 + 1e-9, "the discrete Gaussian's variance is at most σ²");

    long[] counts = new long[5];
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < DRAWS; i++) {
      long z = noise.sample();
      sum += z;
      sumSquares += (double) z * z;
      if (z == 0) counts[0]++;
      else if (z == 1) counts[1]++;
      else if (z == -1) counts[2]++;
      else if (z == 2) counts[3]++;
      else if (z == -2) counts[4]++;
    }
    assertEquals(0, sum / DRAWS, 6 * Math.sqrt(variance / DRAWS), "mean");
    assertEquals(variance, sumSquares / DRAWS, 6 * Math.sqrt((fourth / norm - variance * variance) / DRAWS), "variance");
    double[] expected = {1 / norm, Math.exp(-1 / (2 * s2)) / norm, Math.exp(-1 / (2 * s2)) / norm, Math.exp(-4 / (2 * s2)) / norm,
        Math.exp(-4 / (2 * s2)) / norm};
    for (int i = 0; i < expected.length; i++) {
      double observed = (double) counts[i] / DRAWS;
      assertEquals(expected[i], observed, 6 * Math.sqrt(expected[i] * (1 - expected[i]) / DRAWS) + 1e-9, "P(bin " + i + ")");
    }
  }

  @Test
  void rhoGivesBackTheEpsilonItWasComputedFor() {
    for (double[] ed : new double[][] {{1, 1e-6}, {0.1, 1e-9}, {5, 1e-5}}) {
      double rho = DiscreteGaussian.rhoFor(ed[0], ed[1]);
      // Bun and Steinke, Proposition 1.3: ρ-zCDP gives (ρ + 2·sqrt(ρ·ln(1/δ)), δ)-DP.
      assertEquals(ed[0], rho + 2 * Math.sqrt(rho * Math.log(1 / ed[1])), 1e-12);
    }
    // ε = 1, δ = 1e-6: L = ln(1e6) = 13.8155...; ρ = (sqrt(14.8155) - sqrt(13.8155))² = 0.0174689 (computed independently)
    assertEquals(0.0174689, DiscreteGaussian.rhoFor(1, 1e-6), 1e-7);
    assertThrows(IllegalArgumentException.class, () -> DiscreteGaussian.rhoFor(1, 0));
    assertThrows(IllegalArgumentException.class, () -> new DiscreteGaussian(0, 1, new SecureRandom()));
  }
}
