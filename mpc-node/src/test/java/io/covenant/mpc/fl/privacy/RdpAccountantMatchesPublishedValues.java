package io.covenant.mpc.fl.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Known answers from Google's dp_accounting library (the accountant behind TensorFlow Privacy), file
 * python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant_test.py of github.com/google/differential-privacy:
 * {@code test_compute_rdp_poisson_sampled_gaussian} and {@code test_compute_epsilon_delta_pure_dp}.
 */
class RdpAccountantMatchesPublishedValues {

  @Test
  void sampledGaussianRdpAtIntegerOrders() {
    // q = 0.01, noise multiplier 2.5, 50 steps; dp_accounting's values at orders 5, 50, 100 (it checks with rtol 1e-4).
    int[] orders = {5, 50, 100};
    double[] published = {2.18075656e-03, 2.38460375e-02, 1.67416308e02};
    double[] rdp = new RdpAccountant(orders).compose(0.01, 2.5, 50).rdp();
    for (int i = 0; i < orders.length; i++) {
      assertEquals(published[i], rdp[i], 1e-4 * published[i], "order " + orders[i]);
    }
  }

  @Test
  void conversionToEpsilonDelta() {
    // Orders 2..32 with constant RDP 1.1 (pure DP), delta 1e-5: epsilon 1.32783806176 at order 32.
    int[] orders = new int[31];
    double[] rdp = new double[31];
    for (int i = 0; i < 31; i++) {
      orders[i] = i + 2;
      rdp[i] = 1.1;
    }
    PrivacySpent p = RdpAccountant.epsilon(orders, rdp, 1e-5);
    assertEquals(1.32783806176, p.epsilon(), 1e-9);
    assertEquals(32, p.order());
  }

  @Test
  void unsampledGaussianIsAlphaOverTwoSigmaSquaredAndComposesByAddition() {
    double[] rdp = new RdpAccountant(new int[] {2, 7, 64}).compose(1.0, 2.71828, 3).rdp();
    assertEquals(3 * 2 / (2 * 2.71828 * 2.71828), rdp[0], 1e-12);
    assertEquals(3 * 7 / (2 * 2.71828 * 2.71828), rdp[1], 1e-12);
    assertEquals(3 * 64 / (2 * 2.71828 * 2.71828), rdp[2], 1e-12);
    // The binomial expansion at q = 1 - 1e-12 agrees with the closed form it tends to.
    assertEquals(7 / (2 * 2.0 * 2.0), RdpAccountant.sampledGaussianRdp(1 - 1e-12, 2.0, 7), 1e-6);
  }

  @Test
  void moreRoundsOrLessNoiseCostMore() {
    double oneRound = new RdpAccountant().compose(1, 1.0, 1).spent(1e-6).epsilon();
    double tenRounds = new RdpAccountant().compose(1, 1.0, 10).spent(1e-6).epsilon();
    double noisier = new RdpAccountant().compose(1, 4.0, 10).spent(1e-6).epsilon();
    assertTrue(oneRound < tenRounds && noisier < tenRounds, oneRound + " " + tenRounds + " " + noisier);
    assertEquals(Double.POSITIVE_INFINITY, new RdpAccountant().compose(1, 0, 1).spent(1e-6).epsilon());
  }
}
