package io.covenant.mpc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.ring.Ring64;
import io.covenant.mpc.transport.Party;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A program mixing every session operation, checked against the same computation in the clear. */
class SessionArithmeticMatchesPlaintext {
  private static final FixedPoint FP = FixedPoint.DEFAULT;

  @Test
  void ringProgramOverThreeOwnersInputs() {
    SplittableRandom r = new SplittableRandom(53);
    int n = 5000;
    long[] a = r.longs(n).toArray();
    long[] b = r.longs(n).toArray();
    long[] c = r.longs(n).toArray();
    long[] publicOffsets = r.longs(n).toArray();
    long[][] owned = {a, b, c};
    // ((a - b) * c + offsets) * 3, opened to party 2 only.
    List<Optional<long[]>> results = Runtimes.IN_PROCESS.start().run(s -> {
      long[] mine = owned[s.self().index()];
      var as = s.input(Party.P0, mine);
      var bs = s.input(Party.P1, mine);
      var cs = s.input(Party.P2, mine);
      var out = s.multiplyPublic(s.addPublic(s.multiply(s.subtract(as, bs), cs), publicOffsets), 3);
      return s.revealTo(out, Party.P2);
    });
    long[] expected = Ring64.multiply(Ring64.add(Ring64.multiply(Ring64.subtract(a, b), c), publicOffsets), 3);
    assertArrayEquals(expected, results.get(2).orElseThrow());
    assertEquals(Optional.empty(), results.get(0));
  }

  @Test
  void fixedPointProgramStaysWithinTheTruncationBound() {
    SplittableRandom r = new SplittableRandom(59);
    int n = 2000;
    double[] price = new double[n];
    double[] quantity = new double[n];
    for (int i = 0; i < n; i++) {
      price[i] = r.nextDouble(0, 20);
      quantity[i] = r.nextDouble(-5, 5);
    }
    List<double[]> results = Runtimes.TCP_LOOPBACK.start().run(s -> {
      var p = s.inputFixedPoint(Party.P0, s.self().equals(Party.P0) ? price : null);
      var q = s.inputFixedPoint(Party.P1, s.self().equals(Party.P1) ? quantity : null);
      double[] products = FP.decode(s.revealToAll(s.multiplyFixedPoint(p, q)));
      double dot = FP.decode(s.revealToAll(s.innerProductFixedPoint(p, q))[0]);
      double[] discounted = FP.decode(s.revealToAll(s.multiplyPublicFixedPoint(p, 0.85)));
      double[] out = new double[2 * n + 1];
      System.arraycopy(products, 0, out, 0, n);
      System.arraycopy(discounted, 0, out, n, n);
      out[2 * n] = dot;
      return out;
    });
    double step = FP.resolution();
    double dot = 0;
    for (int i = 0; i < n; i++) {
      dot += price[i] * quantity[i];
      // One step from truncation, plus the inputs' rounding (half a step each, scaled by the other operand).
      double bound = step * (1 + (price[i] + Math.abs(quantity[i])) / 2) + step * step;
      assertTrue(Math.abs(results.get(0)[i] - price[i] * quantity[i]) <= bound, "product " + i);
      assertTrue(Math.abs(results.get(0)[n + i] - price[i] * 0.85) <= step * (1 + price[i] / 2 + 0.5), "discount " + i);
    }
    double dotBound = step * (1 + n * 25.0 / 2);
    assertTrue(Math.abs(results.get(0)[2 * n] - dot) <= dotBound, "inner product");
    assertArrayEquals(results.get(0), results.get(1));
    assertArrayEquals(results.get(0), results.get(2));
  }

  @Test
  void theOwnerMustSupplyItsValues() {
    var e = assertThrows(MalformedInputException.class, () -> Runtimes.IN_PROCESS.start().run(s -> s.input(Party.P1, null)));
    assertEquals("party 1 (insurer-b) owns this input but supplied no values", e.getMessage());
  }
}
