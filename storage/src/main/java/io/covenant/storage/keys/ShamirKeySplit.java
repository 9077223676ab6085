package io.covenant.storage.keys;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.error.MalformedInputException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * k-of-n splitting of a 32-byte {@link DataKey}: A. Shamir, "How to share a secret", Communications of the ACM
 * 22(11):612-613, 1979. Each key byte is the constant term of its own random polynomial of degree k-1 over GF(2^8);
 * share x holds the 32 polynomials' values at x (x = 1..n). Any k shares determine the polynomials by Lagrange
 * interpolation at 0; any k-1 shares are consistent with every possible key byte in exactly the same number of
 * ways, so they reveal nothing about it (information-theoretically, not just computationally).
 *
 * <p>Cost: n * 32 polynomial evaluations of degree k-1 to split; k * 32 * (k-1) multiplications to combine.
 *
 * <p>Shares carry no integrity check on purpose (a check value over the key would turn perfect secrecy into
 * computational secrecy). A corrupted share restores a wrong key, which the first shard it opens rejects with
 * {@link io.covenant.storage.cipher.TamperedShardException}.
 */
public final class ShamirKeySplit {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ShamirKeySplit() {}

  /** Splits {@code key} into {@code n} shares of which any {@code k} restore it (2 <= k <= n <= 255). */
  public static List<KeyShare> split(DataKey key, int k, int n) {
    if (k < 2 || k > n || n > 255) {
      throw new MalformedInputException("a " + k + "-of-" + n + " split is not possible: need 2 <= k <= n <= 255");
    }
    byte[] secret = key.exportForWrapping();
    byte[] splitId = new byte[8];
    RANDOM.nextBytes(splitId);
    String id = HexFormat.of().formatHex(splitId);
    byte[][] ys = new byte[n][32];
    int[] coefficients = new int[k];
    byte[] random = new byte[k - 1];
    try {
      for (int b = 0; b < 32; b++) {
        coefficients[0] = secret[b] & 0xFF;
        RANDOM.nextBytes(random);
        for (int j = 1; j < k; j++) coefficients[j] = random[j - 1] & 0xFF;
        for (int x = 1; x <= n; x++) ys[x - 1][b] = (byte) Gf256.eval(coefficients, x);
      }
      List<KeyShare> shares = new ArrayList<>(n);
      for (int x = 1; x <= n; x++) shares.add(new KeyShare(id, k, x, ys[x - 1]));
      return List.copyOf(shares);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(coefficients, 0);
      Arrays.fill(random, (byte) 0);
      for (byte[] y : ys) Arrays.fill(y, (byte) 0);
    }
  }

  /** Restores the key from at least {@code threshold} distinct shares of one split (extra shares are ignored). */
  public static DataKey combine(List<KeyShare> shares) {
    if (shares == null || shares.isEmpty()) throw new MalformedInputException("restoring a key needs shares; none were given");
    KeyShare first = shares.get(0);
    Set<Integer> seen = new HashSet<>();
    List<KeyShare> use = new ArrayList<>();
    for (KeyShare s : shares) {
      if (!s.splitId().equals(first.splitId()) || s.threshold() != first.threshold()) {
        throw new MalformedInputException("shares " + first.number() + " and " + s.number() + " come from different splits ("
            + first.splitId() + " and " + s.splitId() + "); use shares of one split only");
      }
      if (seen.add(s.number()) && use.size() < first.threshold()) use.add(s);
    }
    if (use.size() < first.threshold()) {
      throw new MalformedInputException("split " + first.splitId() + " needs " + first.threshold() + " distinct shares; only " + use.size() + " were given");
    }
    int k = use.size();
    int[] xs = new int[k];
    byte[][] ys = new byte[k][];
    byte[] key = new byte[32];
    try {
      for (int i = 0; i < k; i++) {
        xs[i] = use.get(i).number();
        ys[i] = use.get(i).value();
      }
      // Lagrange basis at 0: l_i(0) = prod_{j != i} x_j / (x_j - x_i); subtraction is XOR in GF(2^8).
      int[] basis = new int[k];
      for (int i = 0; i < k; i++) {
        int num = 1, den = 1;
        for (int j = 0; j < k; j++) {
          if (j == i) continue;
          num = Gf256.mul(num, xs[j]);
          den = Gf256.mul(den, Gf256.add(xs[j], xs[i]));
        }
        basis[i] = Gf256.mul(num, Gf256.inv(den));
      }
      for (int b = 0; b < 32; b++) {
        int v = 0;
        for (int i = 0; i < k; i++) v = Gf256.add(v, Gf256.mul(ys[i][b] & 0xFF, basis[i]));
        key[b] = (byte) v;
      }
      return DataKey.fromBytes(key);
    } finally {
      Arrays.fill(key, (byte) 0);
      for (byte[] y : ys) if (y != null) Arrays.fill(y, (byte) 0);
    }
  }
}
