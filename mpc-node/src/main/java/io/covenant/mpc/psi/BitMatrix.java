package io.covenant.mpc.psi;

/**
 * Bit-matrix transposition between the column view of an OT extension (one {@code long[]} of rows/64 words per column)
 * and its row view (one row of width/64 words after another), in 64×64 blocks with the recursive block swap of
 * Warren, "Hacker's Delight" (2nd ed.) §7-3. Bit b of word w holds row (or column) 64·w + b.
 */
final class BitMatrix {
  private BitMatrix() {}

  /** Transposes the 64×64 bit block {@code a} in place: bit c of a[r] becomes bit r of a[c]. */
  static void transpose64(long[] a) {
    long m = 0x00000000FFFFFFFFL;
    for (int j = 32; j != 0; j >>= 1, m ^= (m << j)) {
      for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
        long t = ((a[k] >>> j) ^ a[k | j]) & m;
        a[k] ^= t << j;
        a[k | j] ^= t;
      }
    }
  }

  /**
   * columns[c][w] (bit b: row 64w+b) → rows[(64w+b)·width/64 + c/64] (bit c%64), for {@code rowCount} rows (a multiple
   * of 64) and columns.length columns (a multiple of 64). Writes rows [fromWord·64, toWord·64).
   */
  static void columnsToRows(long[][] columns, int fromWord, int toWord, long[] rows) {
    int rowWords = columns.length / 64;
    long[] block = new long[64];
    for (int w = fromWord; w < toWord; w++) {
      for (int cb = 0; cb < rowWords; cb++) {
        for (int t = 0; t < 64; t++) block[t] = columns[cb * 64 + t][w];
        transpose64(block);
        for (int b = 0; b < 64; b++) rows[(w * 64 + b) * rowWords + cb] = block[b];
      }
    }
  }

  /** The inverse of {@link #columnsToRows}: rows → columns, for row words [fromWord, toWord). */
  static void rowsToColumns(long[] rows, int fromWord, int toWord, long[][] columns) {
    int rowWords = columns.length / 64;
    long[] block = new long[64];
    for (int w = fromWord; w < toWord; w++) {
      for (int cb = 0; cb < rowWords; cb++) {
        for (int b = 0; b < 64; b++) block[b] = rows[(w * 64 + b) * rowWords + cb];
        transpose64(block);
        for (int t = 0; t < 64; t++) columns[cb * 64 + t][w] = block[t];
      }
    }
  }
}
