package io.covenant.mpc.protocol;

import io.covenant.mpc.engine.PartySession;

/**
 * AND of two boolean-shared vectors, 64 AND gates per word: the semi-honest protocol of Araki, Furukawa, Lindell, Nof
 * and Ohara, "High-Throughput Semi-Honest Secure Three-Party Computation with an Honest Majority", ACM CCS 2016, §2.2,
 * over GF(2)^64. Party i computes z_i = x_i∧y_i ⊕ x_i∧y_{i+1} ⊕ x_{i+1}∧y_i ⊕ α_i with α_i = F(k_i) ⊕ F(k_{i+1}) a
 * fresh XOR-sharing of zero from the pairwise PRF keys, sends z_i to party i-1 and holds (z_i, z_{i+1}).
 *
 * <p>Cost: one round; each party sends one word per word of input (64 AND gates), to its previous party. Several ANDs
 * that do not depend on each other go in one call by concatenating their operands ({@link BitShareVector#concat}).
 */
public final class BooleanAnd {
  private BooleanAnd() {}

  public static BitShareVector and(BitShareVector x, BitShareVector y, PartySession session) {
    requireOperands(x, y, session);
    int n = x.length();
    long[] z = session.randomness().nextStep().xorZeroShare(n);
    crossTerms(z, 0, x, y);
    session.channel().sendToPrevious(z);
    long[] fromNext = ArithmeticShares.receiveFromNext(session, n, "a boolean AND");
    return new BitShareVector(x.holder(), z, fromNext);
  }

  /**
   * x ∧ (y ≪ shift) and x ∧ (v ≪ shift) in the same round and the same message (2n words), shifting on the fly: the
   * two ANDs of a prefix-adder level without materialising shifted or concatenated operands.
   */
  static BitShareVector[] andTwoShifted(BitShareVector x, BitShareVector y, BitShareVector v, int shift, PartySession session) {
    requireOperands(x, y, session);
    requireOperands(x, v, session);
    int n = x.length();
    int m = n;
    long[] z = session.randomness().nextStep().xorZeroShare(2 * n);
    crossTermsShifted(z, 0, x, y, shift);
    crossTermsShifted(z, n, x, v, shift);
    session.channel().sendToPrevious(z);
    long[] fromNext = ArithmeticShares.receiveFromNext(session, n + m, "a boolean AND");
    return new BitShareVector[] {
        new BitShareVector(x.holder(), java.util.Arrays.copyOfRange(z, 0, n), java.util.Arrays.copyOfRange(fromNext, 0, n)),
        new BitShareVector(x.holder(), java.util.Arrays.copyOfRange(z, n, n + m), java.util.Arrays.copyOfRange(fromNext, n, n + m))};
  }

  /** z[at + j] ^= x_i∧y_i ⊕ x_i∧y_{i+1} ⊕ x_{i+1}∧y_i = x_i∧(y_i ⊕ y_{i+1}) ⊕ x_{i+1}∧y_i. */
  private static void crossTerms(long[] z, int at, BitShareVector x, BitShareVector y) {
    long[] x0 = x.first();
    long[] x1 = x.second();
    long[] y0 = y.first();
    long[] y1 = y.second();
    for (int j = 0; j < x0.length; j++) z[at + j] ^= (x0[j] & (y0[j] ^ y1[j])) ^ (x1[j] & y0[j]);
  }

  private static void crossTermsShifted(long[] z, int at, BitShareVector x, BitShareVector y, int shift) {
    long[] x0 = x.first();
    long[] x1 = x.second();
    long[] y0 = y.first();
    long[] y1 = y.second();
    for (int j = 0; j < x0.length; j++) z[at + j] ^= (x0[j] & ((y0[j] ^ y1[j]) << shift)) ^ (x1[j] & (y0[j] << shift));
  }

  private static void requireOperands(BitShareVector x, BitShareVector y, PartySession session) {
    if (x.length() != y.length() || !x.holder().equals(y.holder()) || !x.holder().equals(session.self())) {
      throw new io.covenant.core.error.MalformedInputException("cannot AND " + x + " and " + y + " at " + session.self()
          + ": both operands must be this party's shares and of the same length");
    }
  }
}
