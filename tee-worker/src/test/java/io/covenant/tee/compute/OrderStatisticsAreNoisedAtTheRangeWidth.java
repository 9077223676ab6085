package io.covenant.tee.compute;

import io.covenant.policy.OutputControls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Under a budget, MIN, MAX and MEDIAN of a column are released only where every policy sets
 * {@code privacy.orderStatistics}, computed over clamped values and noised at their global sensitivity, the width of
 * the range (one record can move a maximum from the lower bound to the upper one), then clamped to the range.
 */
class OrderStatisticsAreNoisedAtTheRangeWidth {
  private static List<Object[]> rows() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) rows.add(new Object[] {"p-" + i, 40, i % 2 == 0 ? "f" : "m", 1000.0 + i});
    rows.add(new Object[] {"p-top", 40, "f", 1.0e9}); // clamped to 200,000 before the maximum is taken
    return rows;
  }

  @Test
  void refusedUnlessThePoliciesAllowThem() {
    QueryRefusedException e = assertThrows(QueryRefusedException.class,
        () -> NoisyQuery.plan("SELECT sex, MAX(claim_cost) AS top FROM claims GROUP BY sex", PrivateTable.privacy("1")));
    assertTrue(e.getMessage().contains("cannot be released with noise"), e.getMessage());
  }

  @Test
  void withAHugeEpsilonTheClampedValueComesThroughAndItStaysInTheRange() {
    var allowing = new OutputControls.Privacy(new BigDecimal("1000000"), Map.of("claim_cost", PrivateTable.COST), true);
    try (PrivateTable t = new PrivateTable(rows())) {
      var out = t.noisy("SELECT sex, MAX(claim_cost) AS top, MIN(claim_cost) AS low, MEDIAN(claim_cost) AS mid FROM claims GROUP BY sex ORDER BY sex",
          1, allowing);
      assertEquals(List.of(ValueKind.STRING, ValueKind.FLOAT, ValueKind.FLOAT, ValueKind.FLOAT), out.kinds());
      // Noise scale (hi - lo) * k / epsilon = 200000 * 4 / 1e6 = 0.8 in value units.
      assertEquals(200_000, (Double) out.rows().get(0).get(1), 20, "the outlier counts as the upper bound");
      assertEquals(1000, (Double) out.rows().get(0).get(2), 20);
      assertEquals(1030, (Double) out.rows().get(0).get(3), 20);
      assertEquals(1059, (Double) out.rows().get(1).get(1), 20);
    }
  }

  @Test
  void atAUsefulEpsilonTheNoiseIsAsWideAsTheRangeAndTheValueStaysInIt() {
    var allowing = new OutputControls.Privacy(BigDecimal.ONE, Map.of("claim_cost", PrivateTable.COST), true);
    try (PrivateTable t = new PrivateTable(rows())) {
      int exact = 0;
      for (int run = 0; run < 40; run++) {
        var out = t.noisy("SELECT MAX(claim_cost) AS top FROM claims", 1, allowing);
        if (out.rows().isEmpty()) continue; // the noisy row count withheld the group
        double top = (Double) out.rows().getFirst().getFirst();
        assertTrue(top >= 0 && top <= 200_000, "clamped to the range: " + top);
        if (Math.abs(top - 200_000) < 1) exact++;
      }
      // About half the noisy maxima land at or above the bound and are clamped to it; all 40 doing so has odds of 1e-12.
      assertTrue(exact < 40, "with noise of scale 400,000 the clamped maximum cannot come back exactly every time");
    }
  }
}
