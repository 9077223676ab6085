package io.covenant.mpc.ring;

import io.covenant.core.error.MalformedInputException;

/**
 * The ring Z_2^64 on {@code long[]} vectors. Java's {@code long} addition, subtraction, negation and multiplication
 * wrap exactly modulo 2^64 (JLS §15.17.1, §15.18.2), so a {@code long} is an element of the ring and these loops are
 * the ring operations; signedness only matters when a value is read back as a number (see {@link FixedPoint}).
 *
 * <p>Every operation returns a fresh array and leaves its arguments untouched.
 */
public final class Ring64 {
  private Ring64() {}

  public static long[] add(long[] a, long[] b) {
    requireSameLength(a, b, "add");
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] + b[i];
    return out;
  }

  public static long[] subtract(long[] a, long[] b) {
    requireSameLength(a, b, "subtract");
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] - b[i];
    return out;
  }

  public static long[] negate(long[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) out[i] = -a[i];
    return out;
  }

  /** Element-wise product. */
  public static long[] multiply(long[] a, long[] b) {
    requireSameLength(a, b, "multiply");
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] * b[i];
    return out;
  }

  public static long[] multiply(long[] a, long constant) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i] * constant;
    return out;
  }

  public static long sum(long[] a) {
    long s = 0;
    for (long v : a) s += v;
    return s;
  }

  public static long innerProduct(long[] a, long[] b) {
    requireSameLength(a, b, "take the inner product of");
    long s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  static void requireSameLength(long[] a, long[] b, String operation) {
    if (a.length != b.length) {
      throw new MalformedInputException(
          "cannot " + operation + " vectors of " + a.length + " and " + b.length + " elements: both operands need the same length");
    }
  }
}
