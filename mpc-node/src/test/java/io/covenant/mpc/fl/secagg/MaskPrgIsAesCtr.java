package io.covenant.mpc.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The mask PRG, computed as AES-ECB over counter blocks for speed, is exactly the JDK's AES-CTR keystream (zero IV). */
class MaskPrgIsAesCtr {

  @Test
  void expansionEqualsTheJdkCtrKeystreamAcrossPieceBoundariesAndOddLengths() {
    byte[] secret = new byte[32];
    for (int i = 0; i < 32; i++) secret[i] = (byte) (i * 7 + 1);
    for (int m : new int[] {1, 3, 8191, 8192, 8193, 20_001}) {
      SecretKeySpec key = MaskExpansion.key("covenant/secagg/pairwise-mask", 4, secret, 16);
      long[] acc = new long[m];
      MaskExpansion.addPairwise(acc, secret, 4, 1);
      assertArrayEquals(MaskExpansion.referenceKeystream(key, m), acc, "m = " + m);
      MaskExpansion.addPairwise(acc, secret, 4, -1);
      assertArrayEquals(new long[m], acc, "adding then subtracting a mask gives zero, m = " + m);
    }
  }
}
