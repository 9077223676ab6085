package io.covenant.mpc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sum, count, mean, variance, the mean of selected rows, and GROUP BY aggregates against plaintext. */
class AggregatesMatchPlaintext {
  private static final FixedPoint FP = FixedPoint.DEFAULT;

  private static double[] open(ThreeParties.Outcome<List<ShareVector>> out, int which) {
    return FP.decode(ReplicatedSharing.reconstruct(out.of(Party.P0).get(which), out.of(Party.P1).get(which)));
  }

  @Test
  void sumMeanVarianceAndSelectedMeanMatchPlaintext() {
    SplittableRandom r = new SplittableRandom(29);
    int n = 5000;
    double[] x = new double[n];
    long[] selected = new long[n];
    for (int j = 0; j < n; j++) {
      x[j] = j % 10 == 0 ? 0 : r.nextDouble(-120, 300);
      selected[j] = r.nextInt(3) == 0 ? 1 : 0;
    }
    var out = ThreeParties.run(s -> {
      ShareVector xs = ThreeParties.inputFixedPoint(s, Party.P2, x);
      ShareVector sel = ThreeParties.input(s, Party.P0, selected);
      ShareVector sum = ColumnAggregates.sum(xs);
      return List.of(sum, ColumnAggregates.mean(sum, n, s), ColumnAggregates.variance(xs, s),
          ColumnAggregates.meanOfSelected(xs, sel, 14, s), ColumnAggregates.countAsFixedPoint(ColumnAggregates.count(sel), s));
    });
    double[] encoded = FP.decode(FP.encode(x));
    double sum = 0, squares = 0, selectedSum = 0, count = 0;
    for (int j = 0; j < n; j++) {
      sum += encoded[j];
      squares += encoded[j] * encoded[j];
      selectedSum += selected[j] * encoded[j];
      count += selected[j];
    }
    double mean = sum / n;
    assertEquals(sum, open(out, 0)[0], 1e-9, "sum is exact");
    assertEquals(mean, open(out, 1)[0], 4 * FP.resolution() + Math.abs(mean) * 0x1p-20, "mean");
    assertEquals(squares / n - mean * mean, open(out, 2)[0], 1e-3 * (squares / n - mean * mean), "variance");
    assertEquals(selectedSum / count, open(out, 3)[0], Math.abs(selectedSum / count) * 0x1p-13, "mean of the selected rows");
    assertEquals(count, open(out, 4)[0], 0.0, "count");
  }

  @Test
  void groupByGivesEachKeyItsCountSumAndMean() {
    SplittableRandom r = new SplittableRandom(31);
    long[] domain = {10, 20, 30, 40};
    int n = 3000;
    long[] keys = new long[n];
    double[] values = new double[n];
    for (int j = 0; j < n; j++) {
      keys[j] = j % 50 == 0 ? 99 : domain[r.nextInt(3)]; // key 40 never occurs: an empty group; 99 is in no group
      values[j] = r.nextDouble(-50, 500);
    }
    var out = ThreeParties.run(s -> {
      var g = GroupByAggregation.aggregate(ThreeParties.input(s, Party.P0, keys), ThreeParties.inputFixedPoint(s, Party.P1, values), domain, s);
      return List.of(g.counts(), g.sums(), g.means());
    });
    long[] counts = ReplicatedSharing.reconstruct(out.of(Party.P0).get(0), out.of(Party.P2).get(0));
    double[] sums = open(out, 1);
    double[] means = open(out, 2);
    double[] encoded = FP.decode(FP.encode(values));
    for (int g = 0; g < domain.length; g++) {
      long c = 0;
      double s = 0;
      for (int j = 0; j < n; j++) {
        if (keys[j] == domain[g]) {
          c++;
          s += encoded[j];
        }
      }
      assertEquals(c, counts[g], "count of key " + domain[g]);
      assertEquals(s, sums[g], 1e-6, "sum of key " + domain[g]);
      // Division keeps about 13 significant bits after its fixed-point Newton steps (see NewtonRaphsonDivision).
      assertEquals(c == 0 ? 0 : s / c, means[g], Math.abs(c == 0 ? 0 : s / c) * 0x1p-13 + 4 * FP.resolution(), "mean of key " + domain[g]);
    }
    assertArrayEquals(new long[] {counts[0], counts[1], counts[2], 0}, counts);
  }
}
