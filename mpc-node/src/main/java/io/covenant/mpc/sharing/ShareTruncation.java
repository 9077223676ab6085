package io.covenant.mpc.sharing;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.PartyChannel;

/**
 * Probabilistic truncation of replicated shares by d bits: protocol Π_trunc1 of ABY3 (Mohassel and Rindal, "ABY3: A
 * Mixed Protocol Framework for Machine Learning", ACM CCS 2018, §5.1.1), built on the two-party share truncation of
 * SecureML (Mohassel and Zhang, IEEE S&amp;P 2017, §4.1, Theorem 1). It turns a fixed-point product, which carries 2f
 * fractional bits, back into an f-bit encoding.
 *
 * <p>Party 0 knows A = x_0 + x_1; parties 1 and 2 both know B = x_2; (A, B) is a two-party sharing of x. Party 0
 * computes A' = A >>> d (as an unsigned number), parties 1 and 2 compute B' = -((-B) >>> d). The new replicated sharing
 * is y_0 = A' - r, y_1 = r, y_2 = B', where r = F(k_1) is known to parties 0 and 1 only; party 0 sends y_0 to party 2.
 *
 * <p><b>Error bound.</b> Let x be the signed value of the input and |x| &lt; 2^l. Unless A falls in a window of |x|
 * values next to the wrap-around of Z_2^64, which happens with probability |x|/2^64 &lt; 2^(l-64) (within SecureML's
 * bound 2^(l+1-64)), the result is ⌊x/2^d⌋ or ⌊x/2^d⌋ + 1: off by less than one unit in the last place. In the
 * failing case it is off by about 2^(64-d). For a fixed-point product a·b with f fractional bits, x ≈ a·b·2^(2f), so
 * with the default f = 16 an element fails with probability about |a·b|·2^-32: 2^-32 for |a·b| = 1, 2^-22 for
 * |a·b| = 1024, 2^-12 for |a·b| = 2^20. Keep fixed-point products small, or use fewer fractional bits.
 *
 * <p>Cost: one round; party 0 sends n words to party 2; the others send nothing.
 */
public final class ShareTruncation {
  private ShareTruncation() {}

  public static ShareVector truncate(ShareVector x, int bits, CorrelatedRandomness randomness, PartyChannel channel) {
    ExpectedMessage.requireHeldBy(x, channel);
    if (bits < 1 || bits > 62) {
      throw new MalformedInputException("cannot truncate by " + bits + " bits: use 1 to 62 (the fixed-point fractional bits)");
    }
    CorrelatedRandomness.Step step = randomness.nextStep();
    int n = x.length();
    long[] first = x.first();
    long[] second = x.second();
    return switch (x.holder().index()) {
      case 0 -> {
        long[] r = step.sharedWithNext(n);
        long[] y0 = new long[n];
        for (int j = 0; j < n; j++) y0[j] = ((first[j] + second[j]) >>> bits) - r[j];
        channel.sendToPrevious(y0);
        yield new ShareVector(x.holder(), y0, r);
      }
      case 1 -> {
        long[] r = step.sharedWithPrevious(n);
        long[] y2 = new long[n];
        for (int j = 0; j < n; j++) y2[j] = -((-second[j]) >>> bits);
        yield new ShareVector(x.holder(), r, y2);
      }
      default -> {
        long[] y2 = new long[n];
        for (int j = 0; j < n; j++) y2[j] = -((-first[j]) >>> bits);
        long[] y0 = ExpectedMessage.ofLength(channel.receiveFromNext(), n, channel, x.holder().next(), "a truncation");
        yield new ShareVector(x.holder(), y2, y0);
      }
    };
  }
}
