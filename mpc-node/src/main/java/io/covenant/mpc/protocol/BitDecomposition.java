package io.covenant.mpc.protocol;

import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.sharing.ShareVector;

/**
 * Bit decomposition [[x]]^A → [[x]]^B: from an arithmetic sharing x = x_0 + x_1 + x_2 (mod 2^64) to a boolean sharing
 * of the 64 bits of x, as in ABY3 (Mohassel and Rindal, "ABY3: A Mixed Protocol Framework for Machine Learning", ACM
 * CCS 2018, §5.3, "Bit Decomposition"). The three arithmetic shares are read as three boolean-shared numbers, each
 * known to the two parties that hold it (no communication); one layer of 64 full adders in parallel reduces them to
 * two numbers s and c (carry-save addition), and a Kogge–Stone parallel prefix adder adds s and c in log2(64) = 6
 * levels.
 *
 * <p>Full adder: s = x_0 ⊕ x_1 ⊕ x_2, which is party i's own share pair (x_i, x_{i+1}) read as boolean shares; the
 * carry maj(x_0, x_1, x_2) = ((x_0 ⊕ x_2) ∧ (x_1 ⊕ x_2)) ⊕ x_2 costs one AND per bit. Prefix adder: g = s ∧ c,
 * p = s ⊕ c, then for k = 1, 2, 4, …, 32: g ← g ⊕ (p ∧ (g ≪ k)), p ← p ∧ (p ≪ k) (g and p never both hold at one
 * position, so the OR of the textbook adder is an XOR); the sum is p ⊕ (g ≪ 1).
 *
 * <p>Cost: 8 rounds (1 full adder, 1 generate, 6 prefix levels); per element, each party sends 1 + 1 + 5·2 + 1 = 13
 * words (832 bits) to its previous party.
 */
public final class BitDecomposition {
  private BitDecomposition() {}

  /** The 64 bits of each element of x, boolean-shared, one word per element. */
  public static BitShareVector decompose(ShareVector x, PartySession session) {
    ArithmeticShares.requireHeldBy(x, session);
    int n = x.length();
    int self = x.holder().index();
    long[] first = x.firstShare();
    long[] second = x.secondShare();
    // The share x_k as a boolean sharing with only slot k set: party k holds it as its first share, party k-1 as its second.
    BitShareVector[] addend = new BitShareVector[3];
    for (int k = 0; k < 3; k++) {
      long[] f = k == self ? first : new long[n];
      long[] s = k == (self + 1) % 3 ? second : new long[n];
      addend[k] = new BitShareVector(x.holder(), f, s);
    }
    BitShareVector sum = new BitShareVector(x.holder(), first, second);
    BitShareVector x2 = addend[2];
    BitShareVector majority = BooleanAnd.and(addend[0].xor(x2), addend[1].xor(x2), session).xor(x2);
    return add(sum, majority.shiftLeft(1), session);
  }

  /** s + c mod 2^64 on boolean shares, by a Kogge–Stone prefix adder: 7 rounds. */
  static BitShareVector add(BitShareVector s, BitShareVector c, PartySession session) {
    BitShareVector propagate = s.xor(c);
    BitShareVector g = BooleanAnd.and(s, c, session);
    BitShareVector p = propagate;
    for (int k = 1; k < 64; k <<= 1) {
      if (k == 32) {
        g = g.xor(BooleanAnd.and(p, g.shiftLeft(k), session));
      } else {
        BitShareVector[] both = BooleanAnd.andTwoShifted(p, g, p, k, session);
        g = g.xor(both[0]);
        p = both[1];
      }
    }
    return propagate.xor(g.shiftLeft(1));
  }
}
