package io.covenant.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.ring.Ring64;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Property: every local operation on each party's shares reconstructs to the same operation on the secrets, mod 2^64. */
class LocalOperationsMatchPlaintext {
  private static final SecureRandom STRONG = new SecureRandom();

  private static List<ShareVector> apply(List<ShareVector> views, UnaryOperator<ShareVector> op) {
    return views.stream().map(op).toList();
  }

  private static void assertReconstructs(long[] expected, List<ShareVector> views) {
    assertArrayEquals(expected, ReplicatedSharing.reconstruct(views.get(0), views.get(1)));
    assertArrayEquals(expected, ReplicatedSharing.reconstruct(views.get(1), views.get(2)));
    assertArrayEquals(expected, ReplicatedSharing.reconstruct(views.get(2), views.get(0)));
  }

  @Test
  void randomVectorsAddSubtractScaleAndSum() {
    SplittableRandom r = new SplittableRandom(11);
    for (int trial = 0; trial < 40; trial++) {
      int n = r.nextInt(1, 2000);
      long[] x = r.longs(n).toArray();
      long[] y = r.longs(n).toArray();
      long[] c = r.longs(n).toArray();
      long k = r.nextLong();
      if (trial == 0) {
        x[0] = Long.MAX_VALUE;
        y[0] = 1;
        k = Long.MIN_VALUE;
      }
      List<ShareVector> xs = ReplicatedSharing.share(x, STRONG);
      List<ShareVector> ys = ReplicatedSharing.share(y, STRONG);
      List<ShareVector> sums = List.of(
          ReplicatedSharing.add(xs.get(0), ys.get(0)), ReplicatedSharing.add(xs.get(1), ys.get(1)), ReplicatedSharing.add(xs.get(2), ys.get(2)));
      List<ShareVector> diffs = List.of(ReplicatedSharing.subtract(xs.get(0), ys.get(0)),
          ReplicatedSharing.subtract(xs.get(1), ys.get(1)), ReplicatedSharing.subtract(xs.get(2), ys.get(2)));
      long kk = k;
      assertReconstructs(Ring64.add(x, y), sums);
      assertReconstructs(Ring64.subtract(x, y), diffs);
      assertReconstructs(Ring64.negate(x), apply(xs, ReplicatedSharing::negate));
      assertReconstructs(Ring64.add(x, c), apply(xs, v -> ReplicatedSharing.addPublic(v, c)));
      assertReconstructs(Ring64.multiply(x, kk), apply(xs, v -> ReplicatedSharing.multiplyPublic(v, kk)));
      assertReconstructs(Ring64.multiply(x, c), apply(xs, v -> ReplicatedSharing.multiplyPublic(v, c)));
      assertReconstructs(new long[] {Ring64.sum(x)}, apply(xs, ReplicatedSharing::sum));
    }
  }

  @Test
  void sharesOfDifferentPartiesOrLengthsDoNotCombine() {
    List<ShareVector> xs = ReplicatedSharing.share(new long[4], STRONG);
    List<ShareVector> ys = ReplicatedSharing.share(new long[5], STRONG);
    assertThrows(MalformedInputException.class, () -> ReplicatedSharing.add(xs.get(0), xs.get(1)));
    assertThrows(MalformedInputException.class, () -> ReplicatedSharing.add(xs.get(0), ys.get(0)));
    assertThrows(MalformedInputException.class, () -> ReplicatedSharing.addPublic(xs.get(0), new long[3]));
  }
}
