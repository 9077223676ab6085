package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Before it is summed, each value is clamped to the policy's bounds: one record of 10^9 counts as 200,000. That is
 * what limits one record's influence (the sensitivity) and so lets the noise cover it.
 */
class ValuesAreClampedToTheDeclaredBounds {

  @Test
  void anOutlierCountsAsTheBound() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) rows.add(new Object[] {"p-" + i, 40, "f", 1000.0});
    rows.add(new Object[] {"p-x", 40, "f", 1.0e9});
    rows.add(new Object[] {"p-y", 40, "f", -5000.0});
    try (PrivateTable t = new PrivateTable(rows)) {
      assertEquals(1.0e9 + 50_000 - 5000, ((Number) PrivateTable.single(t.exact("SELECT SUM(claim_cost) FROM claims", 1), 0).orElseThrow()).doubleValue());
      // Epsilon so large that noise is negligible next to what clamping changes (scale 2*200000/1e6 = 0.4 per sum).
      var out = t.noisy("SELECT COUNT(*) AS n, SUM(claim_cost) AS total, AVG(claim_cost) AS mean FROM claims", 1, PrivateTable.privacy("1000000"));
      assertEquals(List.of("n", "total", "mean"), out.columns());
      assertEquals(List.of(ValueKind.INTEGER, ValueKind.DECIMAL, ValueKind.FLOAT), out.kinds());
      double clampedSum = 50_000 + 200_000 + 0;
      double total = ((BigDecimal) out.rows().get(0).get(1)).doubleValue();
      assertEquals(clampedSum, total, 50, "the outlier is clamped to 200000 and the negative value to 0");
      long n = (Long) out.rows().get(0).get(0);
      assertEquals(52, n, 3);
      double mean = (Double) out.rows().get(0).get(2);
      assertEquals(clampedSum / 52, mean, 20);
    }
  }

  @Test
  void averagesStayInsideTheBoundsWhateverTheNoise() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) rows.add(new Object[] {"p-" + i, 40, i % 2 == 0 ? "f" : "m", 199_999.0});
    try (PrivateTable t = new PrivateTable(rows)) {
      for (int i = 0; i < 50; i++) {
        var out = t.noisy("SELECT sex, AVG(claim_cost) FROM claims GROUP BY sex", 1, PrivateTable.privacy("0.1"));
        for (List<Object> row : out.rows()) {
          Object v = row.get(1);
          assertTrue(v == null || ((Double) v >= 0 && (Double) v <= 200_000), "average " + v + " left [0, 200000]");
        }
      }
    }
  }
}
