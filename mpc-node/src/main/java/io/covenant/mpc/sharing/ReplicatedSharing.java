package io.covenant.mpc.sharing;

import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.Party;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * 2-out-of-3 replicated secret sharing over Z_2^64, as in Araki, Furukawa, Lindell, Nof and Ohara, "High-Throughput
 * Semi-Honest Secure Three-Party Computation with an Honest Majority", ACM CCS 2016, in the additive form used by
 * ABY3 (Mohassel and Rindal, ACM CCS 2018, §2.2): x = x_0 + x_1 + x_2 and party i holds (x_i, x_{i+1}).
 *
 * <p>This class is the dealer's sharing and reconstruction, plus the operations every party does locally, without
 * talking to anyone: addition, subtraction, and multiplication by or addition of public constants. Protocol steps
 * that need the network are {@link OwnerInput}, {@link BeaverFreeMultiplication}, {@link ShareTruncation} and
 * {@link Opening}.
 */
public final class ReplicatedSharing {
  private ReplicatedSharing() {}

  /**
   * Splits {@code secret} into the three parties' views: x_0 and x_1 uniformly random, x_2 = secret - x_0 - x_1. Pass
   * a cryptographically strong generator ({@link java.security.SecureRandom}) for anything but tests.
   */
  public static List<ShareVector> share(long[] secret, RandomGenerator random) {
    int n = secret.length;
    long[] x0 = new long[n];
    long[] x1 = new long[n];
    long[] x2 = new long[n];
    for (int j = 0; j < n; j++) {
      x0[j] = random.nextLong();
      x1[j] = random.nextLong();
      x2[j] = secret[j] - x0[j] - x1[j];
    }
    return List.of(
        new ShareVector(Party.P0, x0, x1.clone()),
        new ShareVector(Party.P1, x1, x2.clone()),
        new ShareVector(Party.P2, x2, x0.clone()));
  }

  /**
   * Recovers the secret from two different parties' views. The share both of them hold is compared, so views from
   * different sharings, or an altered view, are refused rather than silently giving a wrong result.
   */
  public static long[] reconstruct(ShareVector a, ShareVector b) {
    if (a.holder().equals(b.holder())) {
      throw new MalformedInputException("both share vectors are held by " + a.holder()
          + ": one party's two shares reveal nothing; reconstruction needs the views of two different parties");
    }
    requireSameLength(a, b, "reconstruct from");
    long[][] shares = new long[3][];
    long[][] seenFrom = new long[3][];
    for (ShareVector v : List.of(a, b)) {
      int i = v.holder().index();
      int i1 = v.holder().next().index();
      if (shares[i] != null) seenFrom[i] = v.first();
      else shares[i] = v.first();
      if (shares[i1] != null) seenFrom[i1] = v.second();
      else shares[i1] = v.second();
    }
    for (int s = 0; s < 3; s++) {
      if (seenFrom[s] == null) continue;
      for (int j = 0; j < shares[s].length; j++) {
        if (shares[s][j] != seenFrom[s][j]) {
          throw new IntegrityException("the views of " + a.holder() + " and " + b.holder() + " disagree on share x_" + s + " at element " + j
              + ": they come from different sharings or one was altered");
        }
      }
    }
    long[] out = new long[shares[0].length];
    for (int j = 0; j < out.length; j++) out[j] = shares[0][j] + shares[1][j] + shares[2][j];
    return out;
  }

  public static ShareVector add(ShareVector a, ShareVector b) {
    requireSameParty(a, b, "add");
    requireSameLength(a, b, "add");
    int n = a.length();
    long[] f = new long[n];
    long[] s = new long[n];
    for (int j = 0; j < n; j++) {
      f[j] = a.first()[j] + b.first()[j];
      s[j] = a.second()[j] + b.second()[j];
    }
    return new ShareVector(a.holder(), f, s);
  }

  public static ShareVector subtract(ShareVector a, ShareVector b) {
    requireSameParty(a, b, "subtract");
    requireSameLength(a, b, "subtract");
    int n = a.length();
    long[] f = new long[n];
    long[] s = new long[n];
    for (int j = 0; j < n; j++) {
      f[j] = a.first()[j] - b.first()[j];
      s[j] = a.second()[j] - b.second()[j];
    }
    return new ShareVector(a.holder(), f, s);
  }

  public static ShareVector negate(ShareVector a) {
    return multiplyPublic(a, -1L);
  }

  /** x + c for a public vector c: c is added to share x_0 only, i.e. by party 0 (first) and party 2 (second). */
  public static ShareVector addPublic(ShareVector a, long[] constants) {
    if (constants.length != a.length()) {
      throw new MalformedInputException("cannot add a public vector of " + constants.length + " elements to a shared vector of "
          + a.length() + ": both need the same length");
    }
    long[] f = a.first().clone();
    long[] s = a.second().clone();
    int i = a.holder().index();
    if (i == 0) for (int j = 0; j < f.length; j++) f[j] += constants[j];
    if (i == 2) for (int j = 0; j < s.length; j++) s[j] += constants[j];
    return new ShareVector(a.holder(), f, s);
  }

  /** c * x for a public constant c; each share is scaled. */
  public static ShareVector multiplyPublic(ShareVector a, long constant) {
    int n = a.length();
    long[] f = new long[n];
    long[] s = new long[n];
    for (int j = 0; j < n; j++) {
      f[j] = a.first()[j] * constant;
      s[j] = a.second()[j] * constant;
    }
    return new ShareVector(a.holder(), f, s);
  }

  /** c ⊙ x for a public vector c, element by element. */
  public static ShareVector multiplyPublic(ShareVector a, long[] constants) {
    if (constants.length != a.length()) {
      throw new MalformedInputException("cannot multiply a shared vector of " + a.length() + " elements by a public vector of "
          + constants.length + ": both need the same length");
    }
    int n = a.length();
    long[] f = new long[n];
    long[] s = new long[n];
    for (int j = 0; j < n; j++) {
      f[j] = a.first()[j] * constants[j];
      s[j] = a.second()[j] * constants[j];
    }
    return new ShareVector(a.holder(), f, s);
  }

  /** The sum of all elements, as a shared vector of length 1. */
  public static ShareVector sum(ShareVector a) {
    long f = 0;
    long s = 0;
    for (int j = 0; j < a.length(); j++) {
      f += a.first()[j];
      s += a.second()[j];
    }
    return new ShareVector(a.holder(), new long[] {f}, new long[] {s});
  }

  static void requireSameParty(ShareVector a, ShareVector b, String operation) {
    if (!a.holder().equals(b.holder())) {
      throw new MalformedInputException("cannot " + operation + " shares held by " + a.holder() + " and " + b.holder()
          + ": each party combines only its own shares");
    }
  }

  static void requireSameLength(ShareVector a, ShareVector b, String operation) {
    if (a.length() != b.length()) {
      throw new MalformedInputException("cannot " + operation + " shared vectors of " + a.length() + " and " + b.length()
          + " elements: both need the same length");
    }
  }
}
