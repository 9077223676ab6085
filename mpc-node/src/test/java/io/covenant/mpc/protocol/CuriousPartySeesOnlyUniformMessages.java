package io.covenant.mpc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Plays the curious party: each party records every message it receives while the committee multiplies and compares
 * two secret vectors (the owners' inputs, the multiplication's reshare, the 8 AND rounds of the bit decomposition, the
 * bit injection's input and product), and keeps its own shares of the inputs. With every element of the inputs set to
 * one secret, each message is N samples of what that party sees for that secret. Every message, and the party's own
 * shares, must be uniform (chi-square on the top byte, and the frequency of each of the 64 bits), and must not differ
 * between two very different secrets (two-sample chi-square on the top byte).
 *
 * <p>Thresholds are set at p = 10^-9 per statistic: the top-byte chi-square with 255 degrees of freedom stays below
 * 415 (Wilson–Hilferty), and a bit's count of ones stays within 6.1 standard deviations of N/2. About 60 messages ×
 * 66 statistics × 3 parties are checked, so a correct implementation fails by chance less than once in 10^5 runs. A
 * deliberately unmasked message is run through the same statistics to show that they catch a leak.
 */
class CuriousPartySeesOnlyUniformMessages {
  private static final int N = 1 << 14;
  private static final double TOP_BYTE_CRITICAL = 415;
  private static final double BIT_Z_CRITICAL = 6.1;

  /** What each party received, in order, followed by its own two shares of each input. */
  private static List<List<long[]>> views(long secretX, long secretY) {
    long[] x = new long[N];
    long[] y = new long[N];
    Arrays.fill(x, secretX);
    Arrays.fill(y, secretY);
    var out = ThreeParties.run(s -> {
      ShareVector xs = ThreeParties.input(s, Party.P0, x);
      ShareVector ys = ThreeParties.input(s, Party.P1, y);
      s.multiply(xs, ys);
      SecureComparison.lessThan(xs, ys, s);
      return List.of(xs.firstShare(), xs.secondShare(), ys.firstShare(), ys.secondShare());
    });
    return Party.all().stream().map(p -> {
      List<long[]> view = new java.util.ArrayList<>(out.channels().get(p.index()).received);
      // The parties that do not own an input also keep two shares of it; the owner's shares are its own business.
      if (!p.equals(Party.P0)) view.addAll(out.of(p).subList(0, 2));
      if (!p.equals(Party.P1)) view.addAll(out.of(p).subList(2, 4));
      return (List<long[]>) view;
    }).toList();
  }

  private static int[] topBytes(long[] words) {
    int[] h = new int[256];
    for (long w : words) h[(int) (w >>> 56)]++;
    return h;
  }

  private static double againstUniform(int[] h, int samples) {
    double expected = (double) samples / h.length;
    double chi = 0;
    for (int c : h) chi += (c - expected) * (c - expected) / expected;
    return chi;
  }

  private static double twoSample(int[] a, int[] b) {
    double chi = 0;
    for (int k = 0; k < a.length; k++) if (a[k] + b[k] > 0) chi += Math.pow(a[k] - b[k], 2) / (a[k] + b[k]);
    return chi;
  }

  private static double worstBitZ(long[] words) {
    double worst = 0;
    for (int bit = 0; bit < 64; bit++) {
      int ones = 0;
      for (long w : words) ones += (int) ((w >>> bit) & 1);
      worst = Math.max(worst, Math.abs(ones - words.length / 2.0) / Math.sqrt(words.length / 4.0));
    }
    return worst;
  }

  /** Null if the samples look uniform, otherwise what gave them away. */
  private static String leak(long[] words) {
    double top = againstUniform(topBytes(words), words.length);
    if (top >= TOP_BYTE_CRITICAL) return "top byte chi-square " + top;
    double z = worstBitZ(words);
    if (z >= BIT_Z_CRITICAL) return "a bit's frequency is " + z + " standard deviations from 1/2";
    return null;
  }

  @Test
  void everyMessageAndShareIsUniformAndIndependentOfTheSecrets() {
    List<List<long[]>> a = views(0, 1);
    List<List<long[]>> b = views(0x7fff_ffff_0000_1234L, -42);
    for (Party p : Party.all()) {
      List<long[]> va = a.get(p.index());
      List<long[]> vb = b.get(p.index());
      assertEquals(va.size(), vb.size(), "the message pattern must not depend on the secrets");
      assertTrue(va.size() >= 12, p + " received only " + va.size() + " messages: the comparison did not run");
      for (int m = 0; m < va.size(); m++) {
        String where = p + ", message " + m + " of " + va.size();
        assertEquals(va.get(m).length, vb.get(m).length, where + ": lengths must not depend on the secrets");
        String leakA = leak(va.get(m));
        String leakB = leak(vb.get(m));
        assertTrue(leakA == null && leakB == null, where + " is not uniform: " + (leakA != null ? leakA : leakB));
        double between = twoSample(topBytes(va.get(m)), topBytes(vb.get(m)));
        assertTrue(between < TOP_BYTE_CRITICAL, where + " depends on the secrets (two-sample chi-square " + between + ")");
      }
    }
  }

  @Test
  void theStatisticsCatchAnUnmaskedMessage() {
    // An unmasked reshare would hand the neighbour the secret plus a little noise from the other shares' low bits.
    SplittableRandom r = new SplittableRandom(53);
    long[] leaky = new long[N];
    for (int j = 0; j < N; j++) leaky[j] = 0x7fff_ffff_0000_1234L + r.nextLong(1L << 40);
    assertTrue(leak(leaky) != null, "a message carrying the secret went unnoticed");
    long[] uniform = r.longs(N).toArray();
    assertEquals(null, leak(uniform), "fresh random words must pass");
  }
}
