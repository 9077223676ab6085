package io.covenant.mpc.protocol;

import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.sharing.ShareVector;

/**
 * ReLU(x) = max(0, x) = (1 − msb(x))·x, as in ABY3 (Mohassel and Rindal, CCS 2018, "Piecewise Polynomial
 * Functions"; SecureML §4.3 for the activation). The 0/1 factor is a ring integer, so the product needs no truncation
 * and works for ring integers and fixed-point values alike.
 *
 * <p>Cost: 11 rounds ({@link MsbExtraction} and one multiplication); per element, 14 words per party plus 5 in all.
 */
public final class SecureRelu {
  private SecureRelu() {}

  public static ShareVector relu(ShareVector x, PartySession session) {
    ShareVector nonNegative = ArithmeticShares.oneMinus(MsbExtraction.msb(x, session));
    return session.multiply(nonNegative, x);
  }
}
