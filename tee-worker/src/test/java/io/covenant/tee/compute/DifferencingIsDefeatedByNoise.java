package io.covenant.tee.compute;

import io.covenant.policy.OutputControls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The differencing attack: the sum over ages 60-65 minus the sum over ages 60-64 is the claim cost of the only
 * person aged 65. Both cohorts are large, so the cohort rule passes both, and the policy evaluator permits both
 * (policies' OverlappingQueriesAreLimitedByTheBudget). Without a budget the difference is the person's value to the
 * cent; with one, it is that value plus the difference of two discrete Laplace draws, whose spread is the
 * mechanism's and far wider than any plausible claim.
 */
class DifferencingIsDefeatedByNoise {
  private static final double SECRET = 73_214.0;
  private static final String WIDE = "SELECT SUM(claim_cost) FROM claims WHERE age >= 60 AND age <= 65";
  private static final String NARROW = "SELECT SUM(claim_cost) FROM claims WHERE age >= 60 AND age <= 64";

  private static PrivateTable table() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) rows.add(new Object[] {"p-" + i, 60 + i % 5, i % 2 == 0 ? "f" : "m", 1000.0 + 37 * i});
    rows.add(new Object[] {"p-target", 65, "f", SECRET});
    return new PrivateTable(rows);
  }

  @Test
  void withoutABudgetTheDifferenceIsThePersonsValue() {
    try (PrivateTable t = table()) {
      double wide = ((Number) PrivateTable.single(t.exact(WIDE, 10), 0).orElseThrow()).doubleValue();
      double narrow = ((Number) PrivateTable.single(t.exact(NARROW, 10), 0).orElseThrow()).doubleValue();
      assertEquals(SECRET, wide - narrow, 1e-6);
    }
  }

  @Test
  void withABudgetTheDifferenceHasTheMechanismsSpread() {
    OutputControls.Privacy privacy = PrivateTable.privacy("1");
    NoisyQuery plan = NoisyQuery.plan(WIDE, privacy);
    // Two measurements (rows, sum) share epsilon 1; the sum's noise in claim-cost units:
    BigDecimal granularity = plan.measurements().get(1).granularity();
    double sumVariance = plan.noise(1, new java.security.SecureRandom()).variance() * granularity.doubleValue() * granularity.doubleValue();
    double expectedSpread = Math.sqrt(2 * sumVariance); // the difference of two independent draws
    // Laplace scale b = Δ·k/ε = 200000·2/1 in claim-cost units; each draw has variance 2b², their difference 4b².
    assertEquals(2 * 400_000.0, expectedSpread, expectedSpread * 0.001);
    assertEquals(2, plan.measurements().size(), "the row count and the clamped sum");

    int trials = 300;
    double sumError = 0;
    double sumSquaredError = 0;
    int close = 0;
    try (PrivateTable t = table()) {
      for (int i = 0; i < trials; i++) {
        double wide = ((BigDecimal) PrivateTable.single(t.noisy(WIDE, 10, privacy), 0).orElseThrow()).doubleValue();
        double narrow = ((BigDecimal) PrivateTable.single(t.noisy(NARROW, 10, privacy), 0).orElseThrow()).doubleValue();
        double error = (wide - narrow) - SECRET;
        sumError += error;
        sumSquaredError += error * error;
        if (Math.abs(error) < 0.05 * SECRET) close++;
      }
    }
    double spread = Math.sqrt(sumSquaredError / trials);
    // The spread of a sample of 300 is within 25% of the truth with overwhelming probability (Laplace kurtosis 6).
    assertTrue(spread > 0.75 * expectedSpread && spread < 1.25 * expectedSpread, "spread " + spread + " vs " + expectedSpread);
    assertEquals(0, sumError / trials, 6 * expectedSpread / Math.sqrt(trials), "the noise is centred");
    // Within 5% of the secret only by chance: P(|error| < 3661) is about 3661/(scale) ~ 1.3% per trial.
    assertTrue(close < trials / 10, close + " of " + trials + " differences landed within 5% of the secret");
  }

  /**
   * The same attack under the gaussian mechanism (policy {@code privacy.mechanism: gaussian}, delta 1e-6): the enclave
   * draws discrete Gaussian noise calibrated through zCDP, σ² = Δ²·k / (2ρ) with ρ = (sqrt(ln(1/δ) + ε) − sqrt(ln(1/δ)))²,
   * and the difference of the two answers has that spread, not the person's value.
   */
  @Test
  void withAGaussianBudgetTheDifferenceHasTheCalibratedSpread() {
    OutputControls.Privacy laplace = PrivateTable.privacy("1");
    OutputControls.Privacy privacy = new OutputControls.Privacy(laplace.epsilon(), laplace.bounds(), false,
        io.covenant.policy.Policy.PrivacyBudget.Mechanism.GAUSSIAN, java.util.Optional.of(new BigDecimal("0.000001")));
    NoisyQuery plan = NoisyQuery.plan(WIDE, privacy);
    var noise = plan.noise(1, new java.security.SecureRandom());
    assertTrue(noise instanceof io.covenant.core.privacy.DiscreteGaussian, "the gaussian mechanism draws discrete Gaussian noise");
    double rho = Math.pow(Math.sqrt(Math.log(1e6) + 1) - Math.sqrt(Math.log(1e6)), 2);
    long sensitivity = plan.measurements().get(1).sensitivity();
    double sigmaSquared = (double) sensitivity * sensitivity * 2 / (2 * rho); // two measurements share ρ
    assertEquals(sigmaSquared, noise.variance(), sigmaSquared * 1e-5, "σ² from the zCDP calibration, rounded up");
    assertTrue(noise.variance() >= sigmaSquared, "rounded up, never down");
    BigDecimal granularity = plan.measurements().get(1).granularity();
    double expectedSpread = Math.sqrt(2 * noise.variance()) * granularity.doubleValue();

    int trials = 200;
    double sumSquaredError = 0;
    try (PrivateTable t = table()) {
      for (int i = 0; i < trials; i++) {
        double wide = ((BigDecimal) PrivateTable.single(t.noisy(WIDE, 10, privacy), 0).orElseThrow()).doubleValue();
        double narrow = ((BigDecimal) PrivateTable.single(t.noisy(NARROW, 10, privacy), 0).orElseThrow()).doubleValue();
        double error = (wide - narrow) - SECRET;
        sumSquaredError += error * error;
      }
    }
    double spread = Math.sqrt(sumSquaredError / trials);
    assertTrue(spread > 0.75 * expectedSpread && spread < 1.25 * expectedSpread, "spread " + spread + " vs " + expectedSpread);
    assertTrue(expectedSpread > 10 * SECRET, "the calibrated spread dwarfs the secret: " + expectedSpread);
  }
}
