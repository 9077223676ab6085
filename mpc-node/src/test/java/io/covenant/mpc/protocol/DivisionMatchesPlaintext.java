package io.covenant.mpc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.transport.Party;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Newton–Raphson reciprocal and division against plaintext over the whole supported range of denominators. */
class DivisionMatchesPlaintext {
  private static final FixedPoint FP = FixedPoint.DEFAULT;
  private static final int MAX_BITS = 21;

  @Test
  void reciprocalAndQuotientAreWithinAFewResolutionSteps() {
    SplittableRandom r = new SplittableRandom(23);
    // Quotients stay within ±64: the truncation that scales a fails with probability about |a/b|·2^(f+L-64), here
    // 2^-21 per element (see NewtonRaphsonDivision), so this test fails by chance about once in 7,000 runs at most.
    int n = 300;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] edgesB = {FP.resolution(), 1, 2, 0.5, 3, (1 << MAX_BITS) - 1, 1 << 20, 1e6, 0.75};
    for (int j = 0; j < n; j++) {
      b[j] = j < edgesB.length ? edgesB[j] : (j % 2 == 0 ? r.nextDouble(0.01, 100) : r.nextInt(1, 1 << MAX_BITS));
      a[j] = j % 5 == 0 ? 0 : b[j] * r.nextDouble(-64, 64);
    }
    var out = ThreeParties.run(s -> {
      var as = ThreeParties.inputFixedPoint(s, Party.P0, a);
      var bs = ThreeParties.inputFixedPoint(s, Party.P1, b);
      return List.of(NewtonRaphsonDivision.reciprocal(bs, MAX_BITS, s), NewtonRaphsonDivision.divide(as, bs, MAX_BITS, s));
    });
    double[] reciprocal = FP.decode(ReplicatedSharing.reconstruct(out.of(Party.P0).get(0), out.of(Party.P2).get(0)));
    double[] quotient = FP.decode(ReplicatedSharing.reconstruct(out.of(Party.P0).get(1), out.of(Party.P2).get(1)));
    for (int j = 0; j < n; j++) {
      double bj = FP.decode(FP.encode(b[j]));
      double aj = FP.decode(FP.encode(a[j]));
      double expectedReciprocal = 1 / bj;
      // Relative error 2^-12 (truncations inside the Newton steps) or a few resolution steps, whichever is larger.
      assertEquals(expectedReciprocal, reciprocal[j], Math.max(8 * FP.resolution(), Math.abs(expectedReciprocal) * 0x1p-12), "1/" + bj);
      double expectedQuotient = aj / bj;
      assertEquals(expectedQuotient, quotient[j], Math.max(8 * FP.resolution(), Math.abs(expectedQuotient) * 0x1p-12), aj + "/" + bj);
    }
  }
}
