package io.covenant.mpc.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.error.MalformedInputException;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Ring64 agrees with arithmetic on unbounded integers reduced mod 2^64, including at the wrap-around. */
class RingArithmeticWrapsModulo2To64 {
  private static final BigInteger MOD = BigInteger.ONE.shiftLeft(64);
  private static final long[] EDGES = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1L << 32, (1L << 32) - 1};

  private static long reduce(BigInteger v) {
    return v.mod(MOD).longValue();
  }

  private static BigInteger unsigned(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }

  private static long[][] operands(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] a = new long[n + EDGES.length * EDGES.length];
    long[] b = new long[a.length];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextLong();
      b[i] = r.nextLong();
    }
    int k = n;
    for (long x : EDGES) {
      for (long y : EDGES) {
        a[k] = x;
        b[k++] = y;
      }
    }
    return new long[][] {a, b};
  }

  @Test
  void elementWiseOperationsMatchBigIntegerModulo2To64() {
    for (long seed = 1; seed <= 20; seed++) {
      long[][] ab = operands(seed, 500);
      long[] a = ab[0];
      long[] b = ab[1];
      long c = new SplittableRandom(seed * 31).nextLong();
      long[] sum = Ring64.add(a, b);
      long[] diff = Ring64.subtract(a, b);
      long[] prod = Ring64.multiply(a, b);
      long[] neg = Ring64.negate(a);
      long[] scaled = Ring64.multiply(a, c);
      for (int i = 0; i < a.length; i++) {
        BigInteger x = unsigned(a[i]);
        BigInteger y = unsigned(b[i]);
        assertEquals(reduce(x.add(y)), sum[i]);
        assertEquals(reduce(x.subtract(y)), diff[i]);
        assertEquals(reduce(x.multiply(y)), prod[i]);
        assertEquals(reduce(x.negate()), neg[i]);
        assertEquals(reduce(x.multiply(unsigned(c))), scaled[i]);
      }
    }
  }

  @Test
  void reductionsMatchBigIntegerModulo2To64() {
    for (long seed = 1; seed <= 20; seed++) {
      long[][] ab = operands(seed, 1000);
      BigInteger sum = BigInteger.ZERO;
      BigInteger dot = BigInteger.ZERO;
      for (int i = 0; i < ab[0].length; i++) {
        sum = sum.add(unsigned(ab[0][i]));
        dot = dot.add(unsigned(ab[0][i]).multiply(unsigned(ab[1][i])));
      }
      assertEquals(reduce(sum), Ring64.sum(ab[0]));
      assertEquals(reduce(dot), Ring64.innerProduct(ab[0], ab[1]));
    }
  }

  @Test
  void knownAnswers() {
    assertArrayEquals(new long[] {Long.MIN_VALUE, 0}, Ring64.add(new long[] {Long.MAX_VALUE, -1}, new long[] {1, 1}));
    // 2^32 * 2^32 = 2^64 = 0, and (2^63)·2 = 0: the ring has zero divisors.
    assertArrayEquals(new long[] {0, 0}, Ring64.multiply(new long[] {1L << 32, Long.MIN_VALUE}, new long[] {1L << 32, 2}));
  }

  @Test
  void vectorsOfDifferentLengthsAreRefused() {
    var e = assertThrows(MalformedInputException.class, () -> Ring64.add(new long[3], new long[4]));
    assertEquals("cannot add vectors of 3 and 4 elements: both operands need the same length", e.getMessage());
  }
}
