package io.covenant.mpc.protocol;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;
import java.util.ArrayList;
import java.util.List;

/**
 * Equality test: [x = y] as an arithmetic 0/1 sharing, exact for all of Z_2^64. The difference d = x − y is
 * bit-decomposed ({@link BitDecomposition}, ABY3 §5.3); d = 0 exactly when all 64 bits of ¬d are 1, which a tree of
 * ANDs inside each word computes in log2(64) = 6 rounds (w ← w ∧ (w ≫ k) for k = 32, 16, …, 1, one word per element
 * per level); bit 0 is then injected ({@link BitInjection}). This is the zero test by bit decomposition described in
 * ABY3 §5.3 for comparisons, applied to equality.
 *
 * <p>Cost: 16 rounds (8 + 6 + 2); per element, 13 + 6 = 19 words per party plus 5 words in all for the injection.
 * {@link #equalsEachPublic} decomposes x once for a whole domain of public values: 8 rounds and 13 words per element
 * once, then 8 rounds and 6 words per party plus 5 in all per (element, domain value).
 */
public final class SecureEquality {
  private SecureEquality() {}

  /** [x = y] for shared x and y. */
  public static ShareVector equal(ShareVector x, ShareVector y, PartySession session) {
    BitShareVector bits = BitDecomposition.decompose(ReplicatedSharing.subtract(x, y), session);
    return BitInjection.inject(allOnes(bits.not(), session), 0, session);
  }

  /** [x = c] for a public vector c. */
  public static ShareVector equalPublic(ShareVector x, long[] c, PartySession session) {
    if (c.length != x.length()) {
      throw new MalformedInputException("cannot compare a shared vector of " + x.length() + " elements with " + c.length
          + " public values: both need the same length");
    }
    BitShareVector bits = BitDecomposition.decompose(x, session);
    return BitInjection.inject(allOnes(bits.xorPublic(notAll(c)), session), 0, session);
  }

  /**
   * The one-hot encoding of x over a public domain: element g of the result is the 0/1 vector [x_j = domain[g]]. All
   * domain values are tested in the same rounds.
   */
  public static List<ShareVector> equalsEachPublic(ShareVector x, long[] domain, PartySession session) {
    if (domain.length == 0) throw new MalformedInputException("the public domain of values to compare with is empty");
    int n = x.length();
    BitShareVector bits = BitDecomposition.decompose(x, session);
    BitShareVector all = null;
    for (long value : domain) {
      BitShareVector matches = bits.xorPublic(notAll(ArithmeticShares.filled(n, value)));
      all = all == null ? matches : all.concat(matches);
    }
    ShareVector injected = BitInjection.inject(allOnes(all, session), 0, session);
    List<ShareVector> out = new ArrayList<>(domain.length);
    for (int g = 0; g < domain.length; g++) out.add(ArithmeticShares.slice(injected, g * n, (g + 1) * n));
    return out;
  }

  /** Bit 0 of the result is the AND of all 64 bits of each word. */
  static BitShareVector allOnes(BitShareVector w, PartySession session) {
    for (int k = 32; k >= 1; k >>= 1) w = BooleanAnd.and(w, w.shiftRightUnsigned(k), session);
    return w;
  }

  private static long[] notAll(long[] c) {
    long[] out = new long[c.length];
    for (int j = 0; j < c.length; j++) out[j] = ~c[j];
    return out;
  }
}
