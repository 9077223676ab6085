package io.covenant.mpc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bit decomposition, MSB extraction and the four comparisons against plaintext, on random and edge values. */
class ComparisonsMatchPlaintext {
  private static final long LIMIT = (1L << 62) - 1; // |x|, |y| below 2^62 keeps x − y inside the signed range
  private static final long[] EDGES = {0, 1, -1, 2, -2, LIMIT, -LIMIT, 1L << 16, -(1L << 16), 1L << 47, -(1L << 47), 12345, -12345};

  private static long[] withEdges(SplittableRandom r, int random, long bound) {
    long[] v = new long[EDGES.length * EDGES.length + random];
    int k = 0;
    for (int i = 0; i < EDGES.length; i++) for (int j = 0; j < EDGES.length; j++) v[k++] = EDGES[i];
    for (; k < v.length; k++) v[k] = r.nextLong(-bound, bound);
    return v;
  }

  private static long[] partners(SplittableRandom r, int random, long bound) {
    long[] v = new long[EDGES.length * EDGES.length + random];
    int k = 0;
    for (int i = 0; i < EDGES.length; i++) for (int j = 0; j < EDGES.length; j++) v[k++] = EDGES[j];
    for (; k < v.length; k++) v[k] = r.nextInt(8) == 0 ? 0 : r.nextLong(-bound, bound);
    return v;
  }

  @Test
  void bitDecompositionRecoversEveryBitOfAnyRingElement() {
    SplittableRandom r = new SplittableRandom(3);
    long[] x = r.longs(2000).toArray();
    System.arraycopy(new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1, 1L << 63 >>> 1}, 0, x, 0, 6);
    var out = ThreeParties.run(s -> BitDecomposition.decompose(ThreeParties.input(s, Party.P0, x), s));
    BitShareVector p0 = out.of(Party.P0);
    BitShareVector p1 = out.of(Party.P1);
    long[] opened = new long[x.length];
    for (int j = 0; j < x.length; j++) opened[j] = p0.first()[j] ^ p0.second()[j] ^ p1.second()[j];
    assertArrayEquals(x, opened);
  }

  @Test
  void msbIsTheSignOfEverySignedValueIncludingTheExtremes() {
    SplittableRandom r = new SplittableRandom(5);
    long[] x = r.longs(3000).toArray();
    System.arraycopy(new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1, -2}, 0, x, 0, 6);
    long[] expected = new long[x.length];
    for (int j = 0; j < x.length; j++) expected[j] = x[j] < 0 ? 1 : 0;
    assertArrayEquals(expected, ThreeParties.run(s -> MsbExtraction.msb(ThreeParties.input(s, Party.P1, x), s)).open());
  }

  @Test
  void lessAndGreaterThanBetweenSharesMatchPlaintext() {
    SplittableRandom r = new SplittableRandom(7);
    long[] x = withEdges(r, 2000, LIMIT);
    long[] y = partners(r, 2000, LIMIT);
    var out = ThreeParties.run(s -> {
      ShareVector xs = ThreeParties.input(s, Party.P0, x);
      ShareVector ys = ThreeParties.input(s, Party.P1, y);
      return List.of(SecureComparison.lessThan(xs, ys, s), SecureComparison.greaterThan(xs, ys, s));
    });
    for (int which = 0; which < 2; which++) {
      long[] opened = io.covenant.mpc.sharing.ReplicatedSharing.reconstruct(out.of(Party.P0).get(which), out.of(Party.P2).get(which));
      for (int j = 0; j < x.length; j++) {
        boolean expected = which == 0 ? x[j] < y[j] : x[j] > y[j];
        assertEquals(expected ? 1 : 0, opened[j], (which == 0 ? "lt " : "gt ") + x[j] + " vs " + y[j]);
      }
    }
  }

  @Test
  void comparisonsWithPublicConstantsMatchPlaintextOnFixedPointValues() {
    SplittableRandom r = new SplittableRandom(11);
    double[] x = new double[1500];
    double[] c = new double[1500];
    for (int j = 0; j < x.length; j++) {
      x[j] = j % 5 == 0 ? 0 : r.nextDouble(-1e6, 1e6);
      c[j] = j % 7 == 0 ? x[j] : r.nextDouble(-1e6, 1e6);
    }
    x[1] = 7.0e13; // just below 2^(62-f) = 2^46: the largest magnitudes whose difference stays in range
    c[1] = -7.0e13;
    var fp = io.covenant.mpc.ring.FixedPoint.DEFAULT;
    long[] encodedC = fp.encode(c);
    var out = ThreeParties.run(s -> {
      ShareVector xs = ThreeParties.inputFixedPoint(s, Party.P2, x);
      return List.of(SecureComparison.lessThanPublic(xs, encodedC, s), SecureComparison.greaterThanPublic(xs, encodedC, s));
    });
    long[] lt = io.covenant.mpc.sharing.ReplicatedSharing.reconstruct(out.of(Party.P0).get(0), out.of(Party.P1).get(0));
    long[] gt = io.covenant.mpc.sharing.ReplicatedSharing.reconstruct(out.of(Party.P0).get(1), out.of(Party.P1).get(1));
    long[] encodedX = fp.encode(x);
    for (int j = 0; j < x.length; j++) {
      assertEquals(encodedX[j] < encodedC[j] ? 1 : 0, lt[j], "lt at " + j);
      assertEquals(encodedX[j] > encodedC[j] ? 1 : 0, gt[j], "gt at " + j);
    }
  }
}
