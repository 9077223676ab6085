package io.covenant.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.mpc.transport.Party;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A curious party's view of an input, its two shares, is uniformly distributed whatever the secret. A vector of N
 * copies of one secret is N independent sharings; we bin each party's pair of shares four ways (joint top bits, joint
 * low bits, top and low bits of their sum) and compare two very different secrets with a two-sample chi-square test,
 * and each against the uniform distribution. 64 bins, 63 degrees of freedom: the critical value at p = 1e-9 is
 * 155.07, so this test fails by chance about once in 3·10^7 runs. A deliberately leaky sharing is run through the same
 * statistic to show that it does detect a dependence on the secret.
 */
class SinglePartyViewRevealsNothing {
  private static final int N = 1 << 16;
  private static final long SECRET_A = 0;
  private static final long SECRET_B = 0x8000_0000_0000_1235L;
  private static final double CRITICAL = 155.07;
  private static final int FEATURES = 4;

  private static int[][] histograms(ShareVector view) {
    long[] f = view.firstShare();
    long[] s = view.secondShare();
    int[][] h = new int[FEATURES][64];
    for (int j = 0; j < f.length; j++) {
      long sum = f[j] + s[j];
      h[0][(int) ((f[j] >>> 61) << 3 | (s[j] >>> 61))]++;
      h[1][(int) ((f[j] & 7) << 3 | (s[j] & 7))]++;
      h[2][(int) (sum >>> 58)]++;
      h[3][(int) (sum & 63)]++;
    }
    return h;
  }

  private static double twoSample(int[] a, int[] b) {
    double chi = 0;
    for (int k = 0; k < a.length; k++) {
      if (a[k] + b[k] > 0) chi += Math.pow(a[k] - b[k], 2) / (a[k] + b[k]);
    }
    return chi;
  }

  private static double againstUniform(int[] a) {
    double expected = (double) Arrays.stream(a).sum() / a.length;
    double chi = 0;
    for (int c : a) chi += Math.pow(c - expected, 2) / expected;
    return chi;
  }

  private static void assertIndistinguishable(ShareVector viewOfA, ShareVector viewOfB, String who) {
    int[][] ha = histograms(viewOfA);
    int[][] hb = histograms(viewOfB);
    for (int k = 0; k < FEATURES; k++) {
      double between = twoSample(ha[k], hb[k]);
      assertTrue(between < CRITICAL, who + ", feature " + k + ": the views of two secrets differ (chi-square " + between + ")");
      double uniformA = againstUniform(ha[k]);
      double uniformB = againstUniform(hb[k]);
      assertTrue(uniformA < CRITICAL && uniformB < CRITICAL, who + ", feature " + k + ": a view is not uniform (" + uniformA + ", " + uniformB + ")");
    }
  }

  private static long[] copies(long secret) {
    long[] v = new long[N];
    Arrays.fill(v, secret);
    return v;
  }

  @Test
  void dealerSharingGivesEachPartyTheSameUniformViewForAnySecret() {
    SecureRandom strong = new SecureRandom();
    List<ShareVector> a = ReplicatedSharing.share(copies(SECRET_A), strong);
    List<ShareVector> b = ReplicatedSharing.share(copies(SECRET_B), strong);
    for (Party p : Party.all()) assertIndistinguishable(a.get(p.index()), b.get(p.index()), p.toString());
  }

  @Test
  void ownerInputGivesTheOtherTwoPartiesTheSameUniformViewForAnySecret() {
    long[] secretA = copies(SECRET_A);
    long[] secretB = copies(SECRET_B);
    var a = InProcessParties.run((ch, rnd) -> ch.self().equals(Party.P0) ? OwnerInput.share(secretA, rnd, ch) : OwnerInput.receive(Party.P0, rnd, ch));
    var b = InProcessParties.run((ch, rnd) -> ch.self().equals(Party.P0) ? OwnerInput.share(secretB, rnd, ch) : OwnerInput.receive(Party.P0, rnd, ch));
    assertArrayEquals(secretB, ReplicatedSharing.reconstruct(b.of(Party.P1), b.of(Party.P2)));
    assertIndistinguishable(a.of(Party.P1), b.of(Party.P1), "party 1 seeing party 0's input");
    assertIndistinguishable(a.of(Party.P2), b.of(Party.P2), "party 2 seeing party 0's input");
  }

  @Test
  void theStatisticDetectsALeakySharing() {
    // Leaky: the share the observer misses is drawn from [0, 2^20) instead of all of Z_2^64, so the observer's two
    // shares add up to nearly the secret.
    SplittableRandom r = new SplittableRandom(37);
    ShareVector leakyA = leakyView(SECRET_A, r);
    ShareVector leakyB = leakyView(SECRET_B, r);
    double between = twoSample(histograms(leakyA)[2], histograms(leakyB)[2]);
    assertTrue(between > 100 * CRITICAL, "the leak went unnoticed (chi-square " + between + ")");
  }

  private static ShareVector leakyView(long secret, SplittableRandom r) {
    long[] first = new long[N];
    long[] second = new long[N];
    for (int j = 0; j < N; j++) {
      long missing = r.nextLong(1L << 20);
      first[j] = r.nextLong();
      second[j] = secret - first[j] - missing;
    }
    return ShareVector.of(Party.P1, first, second);
  }
}
