package io.covenant.mpc.fl.secagg;

import io.covenant.core.error.MalformedInputException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * t-out-of-n secret sharing (Shamir, "How to Share a Secret", CACM 22(11), 1979) over the prime field of the
 * Mersenne prime p = 2^521 − 1, large enough for a 256-bit secret (an X25519 scalar or a mask seed) as one field
 * element. A secret is the constant term of a random polynomial of degree t − 1; party x holds its value at x ≥ 1.
 * Any t shares give the secret by Lagrange interpolation at 0; fewer than t give no information about it.
 *
 * <p>A share travels as {@value #SHARE_BYTES} big-endian bytes.
 */
public final class ShamirSharing {
  static final BigInteger PRIME = BigInteger.ONE.shiftLeft(521).subtract(BigInteger.ONE);
  public static final int SHARE_BYTES = 66;

  private ShamirSharing() {}

  /** Shares a 32-byte secret among the evaluation points {@code xs}; any {@code threshold} of the shares recover it. */
  public static Map<Integer, byte[]> share(byte[] secret, int threshold, List<Integer> xs, SecureRandom random) {
    if (threshold < 1 || threshold > xs.size()) throw new MalformedInputException("a threshold of " + threshold + " for " + xs.size() + " shares");
    BigInteger[] coefficients = new BigInteger[threshold];
    coefficients[0] = new BigInteger(1, secret);
    for (int i = 1; i < threshold; i++) coefficients[i] = new BigInteger(PRIME.bitLength() + 64, random).mod(PRIME);
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    for (int x : xs) {
      if (x < 1) throw new MalformedInputException("Shamir evaluation points start at 1; got " + x);
      BigInteger bx = BigInteger.valueOf(x);
      BigInteger y = BigInteger.ZERO;
      for (int i = threshold - 1; i >= 0; i--) y = y.multiply(bx).add(coefficients[i]).mod(PRIME); // Horner
      out.put(x, toBytes(y));
    }
    return out;
  }

  /** Recovers a {@code secretBytes}-byte secret from exactly the given shares (x → share), by Lagrange interpolation at 0. */
  public static byte[] reconstruct(Map<Integer, byte[]> shares, int secretBytes) {
    BigInteger secret = BigInteger.ZERO;
    for (Map.Entry<Integer, byte[]> i : shares.entrySet()) {
      BigInteger xi = BigInteger.valueOf(i.getKey());
      BigInteger num = BigInteger.ONE;
      BigInteger den = BigInteger.ONE;
      for (Integer j : shares.keySet()) {
        if (j.equals(i.getKey())) continue;
        BigInteger xj = BigInteger.valueOf(j);
        num = num.multiply(xj).mod(PRIME);
        den = den.multiply(xj.subtract(xi)).mod(PRIME);
      }
      BigInteger yi = new BigInteger(1, i.getValue());
      secret = secret.add(yi.multiply(num).multiply(den.modInverse(PRIME))).mod(PRIME);
    }
    byte[] raw = secret.toByteArray();
    int start = raw.length > secretBytes ? raw.length - secretBytes : 0;
    for (int k = 0; k < start; k++) {
      if (raw[k] != 0) throw new MalformedInputException("the shares do not interpolate to a " + secretBytes + "-byte secret: they are inconsistent");
    }
    byte[] out = new byte[secretBytes];
    System.arraycopy(raw, start, out, secretBytes - (raw.length - start), raw.length - start);
    return out;
  }

  private static byte[] toBytes(BigInteger y) {
    byte[] raw = y.toByteArray();
    byte[] out = new byte[SHARE_BYTES];
    int len = Math.min(raw.length, SHARE_BYTES);
    System.arraycopy(raw, raw.length - len, out, SHARE_BYTES - len, len);
    return out;
  }
}
