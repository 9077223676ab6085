package io.covenant.mpc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.transport.Party;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ReLU and the piecewise-linear sigmoid against their plaintext definitions, including the breakpoints. */
class ActivationsMatchPlaintext {
  private static final FixedPoint FP = FixedPoint.DEFAULT;

  static double piecewiseSigmoid(double x) {
    if (x < -0.5) return 0;
    if (x < 0.5) return x + 0.5;
    return 1;
  }

  @Test
  void reluAndSigmoidMatchTheirDefinitions() {
    SplittableRandom r = new SplittableRandom(19);
    double[] x = new double[2000];
    double[] edges = {0, -0.5, 0.5, -0.5 - FP.resolution(), 0.5 - FP.resolution(), 1e-5, -1e-5, 1e9, -1e9, 1.4e14, -1.4e14};
    System.arraycopy(edges, 0, x, 0, edges.length);
    for (int j = edges.length; j < x.length; j++) x[j] = j % 2 == 0 ? r.nextDouble(-2, 2) : r.nextDouble(-1e4, 1e4);
    var out = ThreeParties.run(s -> {
      var xs = ThreeParties.inputFixedPoint(s, Party.P0, x);
      return List.of(SecureRelu.relu(xs, s), PiecewiseSigmoid.sigmoid(xs, s));
    });
    double[] relu = FP.decode(ReplicatedSharing.reconstruct(out.of(Party.P0).get(0), out.of(Party.P1).get(0)));
    double[] sigmoid = FP.decode(ReplicatedSharing.reconstruct(out.of(Party.P0).get(1), out.of(Party.P1).get(1)));
    for (int j = 0; j < x.length; j++) {
      double encoded = FP.decode(FP.encode(x[j]));
      assertEquals(Math.max(0, encoded), relu[j], 0.0, "relu(" + x[j] + ")");
      assertEquals(piecewiseSigmoid(encoded), sigmoid[j], 0.0, "sigmoid(" + x[j] + ")");
    }
  }
}
