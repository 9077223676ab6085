package io.covenant.mpc.protocol;

import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;

/**
 * Less-than and greater-than on shared vectors, element by element, as the sign of a difference: x &lt; y exactly when
 * x − y is negative, whose sign bit {@link MsbExtraction} extracts (ABY3, Mohassel and Rindal, CCS 2018, §5.3). The
 * result is an arithmetic sharing of 0 or 1 per element, ready to multiply with.
 *
 * <p><b>Range.</b> Correct whenever the true difference x − y lies in [−2^63, 2^63), e.g. for any two values with
 * magnitude below 2^62 (as ring integers) or below 2^(62−f) as fixed-point reals with f fractional bits.
 *
 * <p>Cost: that of {@link MsbExtraction}: 10 rounds, 13 words per element per party plus 5 words in all per element.
 */
public final class SecureComparison {
  private SecureComparison() {}

  /** [x &lt; y] for shared x and y. */
  public static ShareVector lessThan(ShareVector x, ShareVector y, PartySession session) {
    return MsbExtraction.msb(ReplicatedSharing.subtract(x, y), session);
  }

  /** [x &gt; y] for shared x and y. */
  public static ShareVector greaterThan(ShareVector x, ShareVector y, PartySession session) {
    return MsbExtraction.msb(ReplicatedSharing.subtract(y, x), session);
  }

  /** [x &lt; c] for a public vector c (ring encoding; use the session's FixedPoint to encode reals). */
  public static ShareVector lessThanPublic(ShareVector x, long[] c, PartySession session) {
    return MsbExtraction.msb(ReplicatedSharing.addPublic(x, negated(c)), session);
  }

  /** [x &gt; c] for a public vector c: the sign of c − x. */
  public static ShareVector greaterThanPublic(ShareVector x, long[] c, PartySession session) {
    return MsbExtraction.msb(ReplicatedSharing.addPublic(ReplicatedSharing.negate(x), c), session);
  }

  private static long[] negated(long[] c) {
    long[] out = new long[c.length];
    for (int j = 0; j < c.length; j++) out[j] = -c[j];
    return out;
  }
}
