package io.covenant.storage.keys;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shamir's perfect secrecy, checked two ways: exhaustively for one byte (every secret yields every combination of
 * k-1 share values exactly equally often), and statistically for real splits (shares look the same whether the key
 * is all zeros or all ones).
 */
class FewerSharesThanThresholdRevealNothing {

  @Test
  void forEverySecretByteTheSharesOfKMinusOneCustodiansAreABijectionOfTheRandomCoefficients() {
    // k = 2: the one share at x is s + a1*x; for each s, a1 -> share must hit all 256 values once.
    for (int x : new int[] {1, 2, 7, 255}) {
      for (int s = 0; s < 256; s++) {
        boolean[] hit = new boolean[256];
        for (int a1 = 0; a1 < 256; a1++) {
          int y = Gf256.eval(new int[] {s, a1}, x);
          assertFalse(hit[y], "k=2, x=" + x + ", secret " + s + ": share value " + y + " repeats");
          hit[y] = true;
        }
      }
    }
    // k = 3, custodians 2 and 5: for each secret, (a1, a2) -> (y2, y5) must hit all 65,536 pairs once.
    boolean[] hit = new boolean[65_536];
    int[] poly = new int[3];
    for (int s = 0; s < 256; s++) {
      Arrays.fill(hit, false);
      poly[0] = s;
      for (int a1 = 0; a1 < 256; a1++) {
        poly[1] = a1;
        for (int a2 = 0; a2 < 256; a2++) {
          poly[2] = a2;
          int pair = Gf256.eval(poly, 2) << 8 | Gf256.eval(poly, 5);
          assertFalse(hit[pair], "k=3, secret " + s + ": share pair repeats");
          hit[pair] = true;
        }
      }
    }
  }

  @Test
  void sharesOfAnAllZeroAndAnAllOneKeyAreIdenticallyUniform() {
    for (byte fill : new byte[] {0x00, (byte) 0xFF}) {
      byte[] raw = new byte[32];
      Arrays.fill(raw, fill);
      DataKey key = DataKey.fromBytes(raw);
      long[] single = new long[256];
      long[] joint = new long[256]; // high nibbles of custodians 1 and 2 together
      int splits = 4_000;
      for (int i = 0; i < splits; i++) {
        List<KeyShare> shares = ShamirKeySplit.split(key, 3, 3);
        byte[] y1 = shares.get(0).value(), y2 = shares.get(1).value();
        for (int b = 0; b < 32; b++) {
          single[y1[b] & 0xFF]++;
          joint[(y1[b] & 0xF0) | ((y2[b] & 0xF0) >>> 4)]++;
        }
      }
      // 255 degrees of freedom: the chance that a truly uniform sample exceeds 380 is below one in a million.
      assertTrue(chiSquare(single) < 380, "single-share distribution for key fill " + fill + ": " + chiSquare(single));
      assertTrue(chiSquare(joint) < 380, "two-share distribution for key fill " + fill + ": " + chiSquare(joint));
    }
  }

  private static double chiSquare(long[] counts) {
    long total = Arrays.stream(counts).sum();
    double expected = (double) total / counts.length, x2 = 0;
    for (long c : counts) x2 += (c - expected) * (c - expected) / expected;
    return x2;
  }
}
