package io.covenant.mpc.protocol;

import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.sharing.ShareVector;

/**
 * The most significant bit of each element of x, as arithmetic 0/1 shares: 1 exactly when x, read as a signed 64-bit
 * integer (or a fixed-point number), is negative. This is ABY3's comparison (Mohassel and Rindal, CCS 2018, §5.3):
 * {@link BitDecomposition} then {@link BitInjection} of bit 63.
 *
 * <p>Cost: 10 rounds; per element, 13 words per party for the decomposition and 5 words in all for the injection.
 */
public final class MsbExtraction {
  private MsbExtraction() {}

  public static ShareVector msb(ShareVector x, PartySession session) {
    return BitInjection.inject(BitDecomposition.decompose(x, session), 63, session);
  }
}
