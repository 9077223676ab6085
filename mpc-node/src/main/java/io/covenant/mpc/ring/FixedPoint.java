package io.covenant.mpc.ring;

import io.covenant.core.error.MalformedInputException;

/**
 * Fixed-point encoding of real numbers into Z_2^64: a value v is carried as the ring element round(v * 2^f) read as
 * a two's-complement signed integer, as in SecureML (Mohassel and Zhang, IEEE S&amp;P 2017, §3.1) and ABY3. Sums of
 * encodings are encodings of sums; a product of two encodings carries 2f fractional bits and must be truncated by f
 * bits (see {@code ShareTruncation}) to be an encoding again.
 *
 * <p>Encoding rounds to nearest, so it is off by at most 2^-(f+1). Values must have magnitude below 2^(63-f); a
 * product of two encodings needs magnitude below 2^(63-2f) before truncation, which is what bounds the operands of
 * a fixed-point multiplication.
 *
 * @param fractionalBits f, between 1 and 30 so that a product of two encodings still has 2 integer bits
 */
public record FixedPoint(int fractionalBits) {
  /**
   * 16 fractional bits: resolution 1.5e-5 and magnitudes up to 1.4e14. A product a·b must stay below 2^31 in magnitude
   * to be representable before truncation, and its probabilistic truncation fails with probability about |a·b|·2^-32
   * per element (see {@code ShareTruncation}).
   */
  public static final FixedPoint DEFAULT = new FixedPoint(16);

  public FixedPoint {
    if (fractionalBits < 1 || fractionalBits > 30) {
      throw new MalformedInputException(
          "a fixed-point encoding with " + fractionalBits + " fractional bits is not supported: use 1 to 30 (16 is the default)");
    }
  }

  /** The step between two adjacent encodable values, 2^-f. */
  public double resolution() {
    return Math.scalb(1.0, -fractionalBits);
  }

  /** The exclusive bound 2^(63-f) on the magnitude of an encodable value. */
  public double magnitudeLimit() {
    return Math.scalb(1.0, 63 - fractionalBits);
  }

  public long encode(double value) {
    return encodeAt(value, -1);
  }

  public long[] encode(double[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) out[i] = encodeAt(values[i], i);
    return out;
  }

  public double decode(long element) {
    return Math.scalb((double) element, -fractionalBits);
  }

  public double[] decode(long[] elements) {
    double[] out = new double[elements.length];
    for (int i = 0; i < elements.length; i++) out[i] = decode(elements[i]);
    return out;
  }

  private long encodeAt(double value, int index) {
    String which = index < 0 ? "the value" : "the value at index " + index;
    if (!Double.isFinite(value)) {
      throw new MalformedInputException(which + " is not a finite number: fixed-point encoding needs finite values; drop or impute it first");
    }
    double scaled = Math.rint(Math.scalb(value, fractionalBits));
    // The data value itself is never put into the message: only where it is and what the limit is.
    if (Math.abs(scaled) >= 0x1p63) {
      throw new MalformedInputException(
          which + " is too large for fixed point with " + fractionalBits + " fractional bits: magnitudes must stay below 2^"
              + (63 - fractionalBits) + "; rescale the column or use fewer fractional bits");
    }
    return (long) scaled;
  }
}
