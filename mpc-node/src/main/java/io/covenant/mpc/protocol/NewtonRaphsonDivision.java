package io.covenant.mpc.protocol;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-point division a / b and reciprocal 1 / b of shared values, for 0 &lt; b &lt; 2^L with a public bound L. The
 * method is Catrina and Saxena's ("Secure Computation with Fixed-Point Numbers", Financial Cryptography 2010, §3.4):
 * scale b into [1/2, 1) by a secret power of two, start from the linear approximation 2.9142 − 2b' of 1/b' on that
 * interval (their AppRcr; relative error at most 0.0858), and refine it by Newton–Raphson, y ← y·(2 − b'·y), which
 * squares the relative error at each step: three steps take it below 10^-8, under the resolution of f ≤ 26 bits.
 *
 * <p>Normalisation: c_j = [b ≥ 2^j] for j = −f … L−1 (one batch of L + f {@link SecureComparison comparisons} per
 * element), the one-hot h_j = c_j − c_{j+1} marks ⌊log2 b⌋, and W = Σ_j h_j·2^(L−j−1) is a local linear combination.
 * Then b' = b·W / 2^L = b / 2^(⌊log2 b⌋+1) and a' = a·W / 2^L (one multiplication and one truncation by L bits for
 * both), and a / b = a'·y' with y' ≈ 1/b'. Scaling a before dividing keeps every intermediate product small.
 *
 * <p>Accuracy and range: the result is within a few units of 2^-f of a/b when |a/b| and |a'| are well inside the
 * fixed-point range; an element with b ≤ 0 gives 0 (b = 0: all c_j are 0) or a meaningless value (b &lt; 0): check
 * b &gt; 0 before dividing, or divide only counts. The truncation of a·W fails with probability about
 * |a|·2^(L+f−63) per element.
 *
 * <p>Cost: 26 rounds (10 for the comparisons, 2 to scale, 4 per Newton step, 2 for the final product); per element,
 * (L + f) comparisons and 12 words of multiplication and truncation per party.
 */
public final class NewtonRaphsonDivision {
  private static final int NEWTON_STEPS = 3;

  private NewtonRaphsonDivision() {}

  /** 1 / b, element by element, for fixed-point 0 &lt; b &lt; 2^maxBits. */
  public static ShareVector reciprocal(ShareVector b, int maxBits, PartySession session) {
    return divide(ArithmeticShares.ofPublic(session.self(), session.fixedPoint().encode(1.0), b.length()), b, maxBits, session);
  }

  /** a / b, element by element, for fixed-point a and 0 &lt; b &lt; 2^maxBits. */
  public static ShareVector divide(ShareVector a, ShareVector b, int maxBits, PartySession session) {
    FixedPoint fp = session.fixedPoint();
    int f = fp.fractionalBits();
    if (a.length() != b.length()) {
      throw new MalformedInputException("cannot divide " + a.length() + " numerators by " + b.length() + " denominators: both need the same length");
    }
    if (maxBits < 1 || maxBits + f > 62) {
      throw new MalformedInputException("a denominator bound of 2^" + maxBits + " is not supported with " + f
          + " fractional bits: use 1 to " + (62 - f) + " bits");
    }
    int n = b.length();
    int thresholds = maxBits + f;
    List<ShareVector> copies = new ArrayList<>(thresholds);
    long[] limits = new long[thresholds * n];
    for (int t = 0; t < thresholds; t++) {
      copies.add(b);
      // Threshold 2^j for j = t − f, encoded as 2^(j+f) = 2^t.
      java.util.Arrays.fill(limits, t * n, (t + 1) * n, 1L << t);
    }
    ShareVector below = SecureComparison.lessThanPublic(ArithmeticShares.concat(copies), limits, session);
    // c_t = 1 - below_t; h_t = c_t - c_{t+1} = below_{t+1} - below_t (with below_thresholds = 1); W = Σ h_t·2^(L-j-1).
    long[] wFirst = new long[n];
    long[] wSecond = new long[n];
    long[] belowFirst = below.firstShare();
    long[] belowSecond = below.secondShare();
    for (int t = 0; t < thresholds; t++) {
      long weight = 1L << (maxBits - (t - f) - 1);
      // Coefficient of below_t in W: −weight_t + weight_{t−1} (for t ≥ 1), and the constant term is weight_{L+f−1}.
      long coefficient = -weight + (t >= 1 ? 1L << (maxBits - (t - 1 - f) - 1) : 0L);
      for (int j = 0; j < n; j++) {
        wFirst[j] += coefficient * belowFirst[t * n + j];
        wSecond[j] += coefficient * belowSecond[t * n + j];
      }
    }
    ShareVector w = ReplicatedSharing.addPublic(ShareVector.of(session.self(), wFirst, wSecond),
        ArithmeticShares.filled(n, 1L << (maxBits - (thresholds - 1 - f) - 1)));
    ShareVector scaled = session.truncate(session.multiply(ArithmeticShares.concat(List.of(b, a)),
        ArithmeticShares.concat(List.of(w, w))), maxBits);
    ShareVector bNormal = ArithmeticShares.slice(scaled, 0, n);
    ShareVector aNormal = ArithmeticShares.slice(scaled, n, 2 * n);
    ShareVector y = ReplicatedSharing.addPublic(ReplicatedSharing.multiplyPublic(bNormal, -2L), ArithmeticShares.filled(n, fp.encode(2.9142)));
    for (int step = 0; step < NEWTON_STEPS; step++) {
      ShareVector by = session.multiplyFixedPoint(bNormal, y);
      ShareVector correction = ReplicatedSharing.addPublic(ReplicatedSharing.negate(by), ArithmeticShares.filled(n, fp.encode(2.0)));
      y = session.multiplyFixedPoint(y, correction);
    }
    return session.multiplyFixedPoint(aNormal, y);
  }
}
