package io.covenant.mpc.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedPointEncodingRoundTrips {

  @Test
  void knownEncodingsWithSixteenFractionalBits() {
    FixedPoint fp = FixedPoint.DEFAULT;
    assertEquals(16, fp.fractionalBits());
    assertArrayEquals(new long[] {0, 65536, 98304, -16384, 1, -1}, fp.encode(new double[] {0, 1, 1.5, -0.25, 0x1p-16, -0x1p-16}));
    assertEquals(-2.75, fp.decode(-180224));
    // -1 in the ring is 2^64 - 1 unsigned, but decodes as the smallest negative step.
    assertEquals(-0x1p-16, fp.decode(-1L));
  }

  @Test
  void roundTripIsWithinHalfAStep() {
    SplittableRandom r = new SplittableRandom(7);
    for (int bits : new int[] {1, 8, 16, 24, 30}) {
      FixedPoint fp = new FixedPoint(bits);
      double limit = Math.min(fp.magnitudeLimit() / 2, 1e12);
      for (int i = 0; i < 20_000; i++) {
        double v = (r.nextDouble() * 2 - 1) * (i % 2 == 0 ? limit : 100);
        double back = fp.decode(fp.encode(v));
        assertTrue(Math.abs(back - v) <= fp.resolution() / 2 + Math.ulp(v), () -> "f=" + bits + " lost more than half a step");
      }
    }
  }

  @Test
  void encodingsAddLikeTheValues() {
    FixedPoint fp = FixedPoint.DEFAULT;
    double[] values = {12.25, -3.5, 100.0078125, -0.0000152587890625};
    long total = 0;
    for (long e : fp.encode(values)) total += e;
    assertEquals(12.25 - 3.5 + 100.0078125 - 0.0000152587890625, fp.decode(total), 1e-12);
  }

  @Test
  void nonFiniteValuesAreRefusedByIndex() {
    var e = assertThrows(MalformedInputException.class, () -> FixedPoint.DEFAULT.encode(new double[] {1, Double.NaN}));
    assertEquals("the value at index 1 is not a finite number: fixed-point encoding needs finite values; drop or impute it first", e.getMessage());
    assertThrows(MalformedInputException.class, () -> FixedPoint.DEFAULT.encode(Double.POSITIVE_INFINITY));
  }

  @Test
  void valuesBeyondTheRangeAreRefusedWithoutEchoingThem() {
    FixedPoint fp = FixedPoint.DEFAULT;
    fp.encode(Math.nextDown(fp.magnitudeLimit()));
    var e = assertThrows(MalformedInputException.class, () -> fp.encode(new double[] {0, 0, -123456789e9}));
    assertTrue(e.getMessage().startsWith("the value at index 2 is too large for fixed point with 16 fractional bits"), e.getMessage());
    assertFalse(e.getMessage().contains("123456789"), "the data value must not appear in the message");
    assertThrows(MalformedInputException.class, () -> fp.encode(fp.magnitudeLimit()));
  }

  @Test
  void fractionalBitsOutsideOneToThirtyAreRefused() {
    assertThrows(MalformedInputException.class, () -> new FixedPoint(0));
    assertThrows(MalformedInputException.class, () -> new FixedPoint(31));
  }
}
