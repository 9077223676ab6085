package io.covenant.mpc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.mpc.engine.SecureStatistics.ColumnTotals;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.transport.Party;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two hospitals and an insurer each hold claim costs; the insurer learns the total and the mean, and nothing else. */
class SecureSumAndMeanOfThreeOwners {

  private static double[] claimCosts(long seed, int rows) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[rows];
    for (int i = 0; i < rows; i++) v[i] = Math.round(r.nextDouble(-500, 90_000) * 100) / 100.0; // refunds are negative
    return v;
  }

  @ParameterizedTest
  @EnumSource(Runtimes.class)
  void onlyTheRecipientLearnsTheTotalAndTheMean(Runtimes kind) {
    List<double[]> columns = List.of(claimCosts(1, 4000), claimCosts(2, 17), claimCosts(3, 2500));
    List<Optional<ColumnTotals>> results =
        kind.start().run(s -> SecureStatistics.sumAndMean(s, columns.get(s.self().index()), Party.P1));

    BigDecimal exact = BigDecimal.ZERO;
    int rows = 0;
    for (double[] c : columns) {
      for (double v : c) exact = exact.add(new BigDecimal(v));
      rows += c.length;
    }
    ColumnTotals totals = results.get(1).orElseThrow();
    assertEquals(rows, totals.rows());
    // Each value is rounded once to 2^-16; the sum of encodings is exact in the ring.
    double bound = rows * FixedPoint.DEFAULT.resolution() / 2;
    assertTrue(Math.abs(totals.sum() - exact.doubleValue()) <= bound, "sum off by more than " + bound);
    assertTrue(Math.abs(totals.mean() - exact.doubleValue() / rows) <= bound / rows + 1e-9, "mean off");
    assertEquals(Optional.empty(), results.get(0));
    assertEquals(Optional.empty(), results.get(2));
  }
}
