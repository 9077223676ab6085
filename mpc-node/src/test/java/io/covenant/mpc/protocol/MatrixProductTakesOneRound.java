package io.covenant.mpc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.mpc.transport.Party;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A shared matrix product is exact in Z_2^64 and costs one message per party carrying only the output, whatever the
 * inner dimension; comparisons cost the same number of messages for 1 element as for 4,096 (vectorised).
 */
class MatrixProductTakesOneRound {
  private static long[] plainProduct(long[] a, int rows, int inner, long[] b, int cols, boolean transposeA) {
    long[] c = new long[rows * cols];
    for (int i = 0; i < rows; i++)
      for (int j = 0; j < cols; j++)
        for (int k = 0; k < inner; k++) c[i * cols + j] += (transposeA ? a[k * rows + i] : a[i * inner + k]) * b[k * cols + j];
    return c;
  }

  @Test
  void productAndTransposedProductMatchPlaintextInOneRoundEach() {
    SplittableRandom r = new SplittableRandom(41);
    int rows = 7, inner = 300, cols = 5;
    long[] a = r.longs((long) rows * inner).toArray();
    long[] b = r.longs((long) inner * cols).toArray();
    long[] at = r.longs((long) inner * rows).toArray();
    var product = ThreeParties.run(s -> MatrixMultiplication.multiply(ThreeParties.input(s, Party.P0, a), rows, inner,
        ThreeParties.input(s, Party.P1, b), cols, s));
    assertArrayEquals(plainProduct(a, rows, inner, b, cols, false), product.open());
    var transposed = ThreeParties.run(s -> {
      var as = ThreeParties.input(s, Party.P0, at);
      var bs = ThreeParties.input(s, Party.P1, b);
      return MatrixMultiplication.multiplyTransposed(as, inner, rows, bs, cols, s);
    });
    assertArrayEquals(plainProduct(at, rows, inner, b, cols, true), transposed.open());
    // Party 2 owns no input: everything it sends is the product's single message of rows·cols words.
    assertEquals(1, product.messagesSentBy(Party.P2));
    assertEquals((long) rows * cols, product.wordsSentBy(Party.P2));
  }

  @Test
  void comparisonRoundsDoNotGrowWithTheNumberOfElements() {
    long[] one = {5};
    long[] many = new SplittableRandom(43).longs(4096).toArray();
    var small = ThreeParties.run(s -> SecureComparison.lessThanPublic(ThreeParties.input(s, Party.P0, one), new long[1], s));
    var large = ThreeParties.run(s -> SecureComparison.lessThanPublic(ThreeParties.input(s, Party.P0, many), new long[4096], s));
    assertEquals(small.messagesSentBy(Party.P2), large.messagesSentBy(Party.P2));
    // Party 2 sends once in each of the 8 AND rounds and in the injection's multiplication; it only receives in the
    // two input rounds.
    assertEquals(9, small.messagesSentBy(Party.P2));
  }
}
