package io.covenant.mpc.protocol;

import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;
import java.util.List;

/**
 * The MPC-friendly logistic function of SecureML (Mohassel and Zhang, IEEE S&amp;P 2017, §4.1, Figure 6), also used by
 * ABY3 (its piecewise polynomial functions): f(x) = 0 for x &lt; −1/2, x + 1/2 for −1/2 ≤ x &lt; 1/2, and 1 for x ≥ 1/2, on fixed-point values.
 * With b_1 = [x &lt; −1/2] and b_2 = [x &lt; 1/2] (both comparisons in the same rounds),
 * f(x) = (1 − b_2) + (b_2 − b_1)·(x + 1/2). The 0/1 factor is a ring integer, so the product needs no truncation.
 *
 * <p>Cost: 11 rounds ({@link MsbExtraction} of 2n values and one multiplication of n); per element, 2·13 + 1 words
 * per party plus 10 words in all.
 */
public final class PiecewiseSigmoid {
  private PiecewiseSigmoid() {}

  public static ShareVector sigmoid(ShareVector x, PartySession session) {
    int n = x.length();
    FixedPoint fp = session.fixedPoint();
    long half = fp.encode(0.5);
    ShareVector shifted = ReplicatedSharing.addPublic(x, ArithmeticShares.filled(n, half));
    ShareVector shiftedDown = ReplicatedSharing.addPublic(x, ArithmeticShares.filled(n, -half));
    ShareVector signs = MsbExtraction.msb(ArithmeticShares.concat(List.of(shifted, shiftedDown)), session);
    ShareVector belowLow = ArithmeticShares.slice(signs, 0, n);
    ShareVector belowHigh = ArithmeticShares.slice(signs, n, 2 * n);
    ShareVector inLinearPart = ReplicatedSharing.subtract(belowHigh, belowLow);
    ShareVector linear = session.multiply(inLinearPart, shifted);
    ShareVector saturated = ReplicatedSharing.multiplyPublic(ArithmeticShares.oneMinus(belowHigh), fp.encode(1.0));
    return ReplicatedSharing.add(saturated, linear);
  }
}
