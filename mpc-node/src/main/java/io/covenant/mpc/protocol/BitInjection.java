package io.covenant.mpc.protocol;

import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;

/**
 * Bit injection [[b]]^B → [[b]]^A of one bit per word: from a boolean sharing b = b_0 ⊕ b_1 ⊕ b_2 to an arithmetic
 * sharing of b ∈ {0, 1} in Z_2^64 (the conversion of ABY3, Mohassel and Rindal, CCS 2018, §5.3 "Bit Injection", in
 * its simplest semi-honest form). Party 0 knows c = b_0 ⊕ b_1 and secret-shares it; parties 1 and 2 both know
 * d = b_2, which is an arithmetic sharing with only slot 2 set, at no cost. Then b = c ⊕ d = c + d − 2·c·d, one
 * multiplication.
 *
 * <p>Cost: 2 rounds; per element, party 0 sends one word to each neighbour (the input) and every party one word
 * (the multiplication): 5 words in all.
 */
public final class BitInjection {
  private BitInjection() {}

  /** Bit {@code position} of every word of {@code bits}, as arithmetic 0/1 shares. */
  public static ShareVector inject(BitShareVector bits, int position, PartySession session) {
    int n = bits.length();
    Party self = session.self();
    long[] first = bits.first();
    long[] second = bits.second();
    long[] c = null;
    if (self.index() == 0) {
      c = new long[n];
      for (int j = 0; j < n; j++) c[j] = ((first[j] ^ second[j]) >>> position) & 1L;
    }
    ShareVector shared = session.input(Party.P0, c);
    long[] f = new long[n];
    long[] s = new long[n];
    if (self.index() == 1) for (int j = 0; j < n; j++) s[j] = (second[j] >>> position) & 1L;
    if (self.index() == 2) for (int j = 0; j < n; j++) f[j] = (first[j] >>> position) & 1L;
    ShareVector d = ShareVector.of(self, f, s);
    ShareVector cd = session.multiply(shared, d);
    return session.subtract(session.add(shared, d), session.multiplyPublic(cd, 2));
  }
}
