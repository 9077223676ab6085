package io.covenant.mpc.protocol;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.sharing.ShareVector;

/**
 * Product of two shared matrices in one round, as in ABY3 (Mohassel and Rindal, CCS 2018, §5.1, where the inner
 * products of a matrix product are computed locally and reshared once, "the communication … is proportional to the
 * size of the output, not the number of multiplications"). Party i computes the three local cross products of the
 * Araki et al. multiplication for the whole matrix, Z_i = A_i·B_i + A_i·B_{i+1} + A_{i+1}·B_i + α_i =
 * (A_i + A_{i+1})·B_i + A_i·B_{i+1} + α_i, with α a fresh zero-sharing of the output, and sends Z_i to party i−1.
 *
 * <p>Matrices are row-major share vectors. For fixed-point operands the product carries 2f fractional bits: truncate it
 * once ({@code PartySession#truncate}), after the sums, rather than once per term.
 *
 * <p>Cost: one round; each party sends rows·columns words of the <em>output</em>, whatever the inner dimension.
 */
public final class MatrixMultiplication {
  private MatrixMultiplication() {}

  /** A (rows × inner) times B (inner × columns), a rows × columns matrix. */
  public static ShareVector multiply(ShareVector a, int rows, int inner, ShareVector b, int columns, PartySession session) {
    requireShape(a, rows, inner, "left");
    requireShape(b, inner, columns, "right");
    return product(a, b, rows, inner, columns, false, session);
  }

  /** Aᵀ·B for A (inner × rows) and B (inner × columns): a rows × columns matrix, without materialising Aᵀ. */
  public static ShareVector multiplyTransposed(ShareVector a, int inner, int rows, ShareVector b, int columns, PartySession session) {
    requireShape(a, inner, rows, "left (before transposition)");
    requireShape(b, inner, columns, "right");
    return product(a, b, rows, inner, columns, true, session);
  }

  private static ShareVector product(ShareVector a, ShareVector b, int rows, int inner, int columns, boolean transposeA, PartySession session) {
    ArithmeticShares.requireHeldBy(a, session);
    ArithmeticShares.requireHeldBy(b, session);
    long[] a0 = a.firstShare();
    long[] a1 = a.secondShare();
    long[] aSum = new long[a0.length];
    for (int j = 0; j < aSum.length; j++) aSum[j] = a0[j] + a1[j];
    long[] b0 = b.firstShare();
    long[] b1 = b.secondShare();
    int n = Math.multiplyExact(rows, columns);
    long[] z = session.randomness().nextStep().zeroShare(n);
    accumulate(z, aSum, b0, rows, inner, columns, transposeA);
    accumulate(z, a0, b1, rows, inner, columns, transposeA);
    session.channel().sendToPrevious(z);
    long[] fromNext = ArithmeticShares.receiveFromNext(session, n, "a matrix multiplication");
    return ShareVector.of(session.self(), z, fromNext);
  }

  /** out += A·B (or Aᵀ·B), in i-k-j order so that the inner loop runs along rows of B and out. */
  private static void accumulate(long[] out, long[] a, long[] b, int rows, int inner, int columns, boolean transposeA) {
    for (int i = 0; i < rows; i++) {
      int outRow = i * columns;
      for (int k = 0; k < inner; k++) {
        long aik = transposeA ? a[k * rows + i] : a[i * inner + k];
        if (aik == 0) continue;
        int bRow = k * columns;
        for (int j = 0; j < columns; j++) out[outRow + j] += aik * b[bRow + j];
      }
    }
  }

  private static void requireShape(ShareVector m, int rows, int columns, String which) {
    if (rows < 0 || columns < 0 || (long) rows * columns != m.length()) {
      throw new MalformedInputException("the " + which + " matrix has " + m.length() + " elements, not " + rows + " × " + columns
          + ": pass the dimensions it was shared with");
    }
  }
}
