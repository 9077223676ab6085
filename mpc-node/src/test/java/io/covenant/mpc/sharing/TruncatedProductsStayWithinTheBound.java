package io.covenant.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.transport.Party;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ABY3's Π_trunc1 (with SecureML's Theorem 1): for |x| &lt; 2^l, the truncation of x by d bits is ⌊x/2^d⌋ or
 * ⌊x/2^d⌋ + 1 except with probability at most 2^(l+1-64) per element.
 */
class TruncatedProductsStayWithinTheBound {
  private static final SecureRandom STRONG = new SecureRandom();
  private static final FixedPoint FP = FixedPoint.DEFAULT;
  private static final int F = FP.fractionalBits();

  private static long[] truncateShared(long[] x, int bits) {
    List<ShareVector> xs = ReplicatedSharing.share(x, STRONG);
    var out = InProcessParties.run((ch, rnd) -> ShareTruncation.truncate(xs.get(ch.self().index()), bits, rnd, ch));
    return ReplicatedSharing.reconstruct(out.of(Party.P0), out.of(Party.P1));
  }

  private static boolean withinOneStep(long truncated, long x, int bits) {
    long floor = Math.floorDiv(x, 1L << bits);
    return truncated == floor || truncated == floor + 1;
  }

  @Test
  void fixedPointProductsAreWithinOneStepOfTheExactProduct() {
    // |a|, |b| < 10: products of encodings are below 100·2^32 < 2^39, so an element misses the bound with probability
    // below 2^-24; more than 2 misses among 10,000 elements has probability about 4e-12.
    SplittableRandom r = new SplittableRandom(29);
    int n = 10_000;
    double[] a = new double[n];
    double[] b = new double[n];
    for (int j = 0; j < n; j++) {
      a[j] = (r.nextDouble() * 2 - 1) * 10;
      b[j] = (r.nextDouble() * 2 - 1) * 10;
    }
    long[] ea = FP.encode(a);
    long[] eb = FP.encode(b);
    List<ShareVector> as = ReplicatedSharing.share(ea, STRONG);
    List<ShareVector> bs = ReplicatedSharing.share(eb, STRONG);
    var out = InProcessParties.run((ch, rnd) -> {
      int i = ch.self().index();
      return ShareTruncation.truncate(BeaverFreeMultiplication.multiply(as.get(i), bs.get(i), rnd, ch), F, rnd, ch);
    });
    long[] product = ReplicatedSharing.reconstruct(out.of(Party.P1), out.of(Party.P2));
    int misses = 0;
    for (int j = 0; j < n; j++) {
      if (!withinOneStep(product[j], ea[j] * eb[j], F)) {
        misses++;
        continue;
      }
      // End to end against the real product: one step of truncation plus the inputs' rounding (half a step each).
      double bound = FP.resolution() * (1 + (Math.abs(a[j]) + Math.abs(b[j])) / 2) + FP.resolution() * FP.resolution();
      assertTrue(Math.abs(FP.decode(product[j]) - a[j] * b[j]) <= bound, "element " + j + " is further from a·b than the bound");
    }
    assertTrue(misses <= 2, misses + " elements missed the bound");
  }

  @Test
  void negativeAndExactMultiplesTruncateAsTheTheoremSays() {
    long[] x = {0, 1L << 20, -(1L << 20), 5L << 16, -(5L << 16) + 1, -1, 1, 123_456_789_012L, -123_456_789_012L};
    long[] t = truncateShared(x, 16);
    for (int j = 0; j < x.length; j++) {
      assertTrue(withinOneStep(t[j], x[j], 16), "element " + j + ": " + t[j] + " vs " + x[j] + " >> 16");
    }
  }

  @Test
  void failuresOccurAtTheRateTheBoundPredictsForLargeValues() {
    // |x| in [2^59, 2^60): l = 60, so at most 2^(60+1-64) = 1/8 of elements may miss; the exact rate is |x|/2^64, about
    // 1/21 here. The misses are off by about 2^(64-d): the failure is real, not rounding.
    SplittableRandom r = new SplittableRandom(31);
    int n = 20_000;
    long[] x = new long[n];
    for (int j = 0; j < n; j++) {
      long magnitude = (1L << 59) + r.nextLong(1L << 59);
      x[j] = r.nextBoolean() ? magnitude : -magnitude;
    }
    int d = 16;
    long[] t = truncateShared(x, d);
    int misses = 0;
    for (int j = 0; j < n; j++) {
      if (withinOneStep(t[j], x[j], d)) continue;
      misses++;
      long error = Math.abs(t[j] - Math.floorDiv(x[j], 1L << d));
      assertTrue(Math.abs(error - (1L << (64 - d))) <= 1, "a miss should be off by 2^(64-d), was " + error);
    }
    assertTrue(misses <= n / 8, misses + " misses exceed the bound of " + n / 8);
    assertTrue(misses >= n / 64, "only " + misses + " misses: the wrap-around case was not exercised");
  }

  @Test
  void onlyPartyZeroSendsAndOnlyOneWordPerElement() {
    List<ShareVector> xs = ReplicatedSharing.share(new long[777], STRONG);
    var out = InProcessParties.run((ch, rnd) -> ShareTruncation.truncate(xs.get(ch.self().index()), 16, rnd, ch));
    assertEquals(777, out.channels().get(0).wordsToPrevious);
    assertEquals(0, out.channels().get(0).wordsToNext + out.channels().get(1).wordsToNext + out.channels().get(1).wordsToPrevious
        + out.channels().get(2).wordsToNext + out.channels().get(2).wordsToPrevious);
  }
}
