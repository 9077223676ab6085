package io.covenant.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sampler against the discrete Laplace law P(z) = (1-q)/(1+q) q^|z| with q = exp(-s/t): mean 0, variance
 * 2q/(1-q)^2, and the probabilities of 0, ±1, ±2 themselves. Tolerances are 6 standard errors over 200,000 draws from
 * SecureRandom, so a correct sampler fails about once in a billion runs and a wrong scale fails every time.
 */
class DiscreteLaplaceNoiseHasItsDistribution {
  private static final int DRAWS = 200_000;

  @ParameterizedTest(name = "scale {0}/{1}")
  @CsvSource({"3, 1", "5, 2", "1, 1", "40, 1", "7, 3"})
  void matchesTheLaw(long t, long s) {
    DiscreteLaplace noise = new DiscreteLaplace(t, s, new SecureRandom());
    double q = Math.exp(-(double) s / t);
    double variance = 2 * q / ((1 - q) * (1 - q));
    assertEquals(variance, noise.variance(), variance * 1e-12);

    long[] counts = new long[5]; // |z| = 0, 1, 2 by sign: 0, +1, -1, +2, -2
    double sum = 0;
    double sumSquares = 0;
    double sumFourth = 0;
    for (int i = 0; i < DRAWS; i++) {
      long z = noise.sample();
      sum += z;
      sumSquares += (double) z * z;
      sumFourth += (double) z * z * z * z;
      if (z == 0) counts[0]++;
      else if (z == 1) counts[1]++;
      else if (z == -1) counts[2]++;
      else if (z == 2) counts[3]++;
      else if (z == -2) counts[4]++;
    }
    double mean = sum / DRAWS;
    assertEquals(0, mean, 6 * Math.sqrt(variance / DRAWS), "mean");
    double sampleVariance = sumSquares / DRAWS;
    double fourth = sumFourth / DRAWS; // E[z^4], for the standard error of the variance estimate
    assertEquals(variance, sampleVariance, 6 * Math.sqrt((fourth - variance * variance) / DRAWS), "variance");

    double p0 = (1 - q) / (1 + q);
    double[] expected = {p0, p0 * q, p0 * q, p0 * q * q, p0 * q * q};
    for (int i = 0; i < expected.length; i++) {
      double observed = (double) counts[i] / DRAWS;
      assertEquals(expected[i], observed, 6 * Math.sqrt(expected[i] * (1 - expected[i]) / DRAWS), "P(bin " + i + ")");
    }
  }

  @ParameterizedTest(name = "scale {0}/{1}")
  @CsvSource({"1099511627776, 1", "1, 1099511627776"})
  void extremeButAllowedScalesStillSample(long t, long s) {
    DiscreteLaplace noise = new DiscreteLaplace(t, s, new SecureRandom());
    for (int i = 0; i < 1000; i++) noise.sample();
    assertTrue(noise.variance() >= 0);
  }
}
