package io.covenant.mpc.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.wire.FrameReader;
import io.covenant.mpc.fl.wire.MessageKind;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.ring.Ring64;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What the aggregator receives from one hospital is a vector uncorrelated with that hospital's true update.
 *
 * <p>The hospitals' randomness (key pairs, seeds) comes from seeded generators here, so the test has one fixed outcome
 * and cannot flake. The bound is far from chance anyway: for m = 50,000 independent uniform words the sample
 * correlation is about N(0, 1/m), standard deviation 0.0045, so |r| &lt; 0.03 fails by chance with probability below
 * 1e-10. The same statistic on the unmasked update is 1, so the test fails without the masks.
 */
class AggregatorViewIsUncorrelatedWithTheUpdate {
  private static final int M = 50_000;

  @Test
  void theMaskedInputTheAggregatorSeesIsUncorrelatedWithTheUpdate() throws Exception {
    List<OrgId> roster = SecAggRun.hospitals(4);
    FixedPoint fp = new FixedPoint(24);
    SplittableRandom r = new SplittableRandom(5);
    List<double[]> updates = new ArrayList<>();
    List<long[]> inputs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      double[] u = new double[M];
      for (int k = 0; k < M; k++) u[k] = 0.01 * (k % 100) + 0.001 * r.nextDouble(); // a structured, strongly patterned update
      updates.add(u);
      inputs.add(fp.encode(u));
    }
    OrgId watched = roster.getFirst();
    List<LinksThatFail.Recording> recorders = new ArrayList<>();
    SecureSum s = SecAggRun.run(roster, 3, inputs, (h, l) -> l, (h, l) -> {
      if (!h.equals(watched)) return l;
      LinksThatFail.Recording rec = new LinksThatFail.Recording(l);
      recorders.add(rec);
      return rec;
    });
    long[] seen = null;
    for (byte[] frame : recorders.getFirst().received()) {
      if (frame[0] != MessageKind.MASKED_INPUT.tag()) continue;
      FrameReader m = FrameReader.open(watched, frame, MessageKind.MASKED_INPUT);
      m.getInt();
      seen = m.getLongs();
    }
    assertEquals(M, seen.length);

    double[] truth = updates.getFirst();
    double maskedCorrelation = correlation(truth, signed(seen));
    assertTrue(Math.abs(maskedCorrelation) < 0.03, "the masked input correlates with the update: r = " + maskedCorrelation);
    assertEquals(1.0, correlation(truth, signed(inputs.getFirst())), 1e-6, "control: the unmasked encoding is the update");

    // Bits of the masked words are balanced, as uniform words' are: the aggregator's view looks like random noise.
    long ones = 0;
    for (long w : seen) ones += Long.bitCount(w);
    double share = ones / (64.0 * M);
    assertTrue(Math.abs(share - 0.5) < 0.005, "share of one bits in the masked input: " + share);

    long[] expected = new long[M];
    for (long[] x : inputs) expected = Ring64.add(expected, x);
    assertArrayEquals(expected, s.sum(), "and the sum still comes out exactly");
  }

  private static double[] signed(long[] words) {
    double[] d = new double[words.length];
    for (int i = 0; i < words.length; i++) d[i] = words[i];
    return d;
  }

  private static double correlation(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
