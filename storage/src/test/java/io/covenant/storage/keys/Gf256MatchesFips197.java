package io.covenant.storage.keys;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class Gf256MatchesFips197 {
  @Test
  void publishedProductsAndFieldLaws() {
    // FIPS-197 section 4.2: {57} * {83} = {c1}; section 4.2.1: {57} * {13} = {fe}.
    assertEquals(0xc1, Gf256.mul(0x57, 0x83));
    assertEquals(0xfe, Gf256.mul(0x57, 0x13));
    // FIPS-197 section 5.1.1 lists {53}^-1 = {ca} as the S-box example's inverse.
    assertEquals(0xca, Gf256.inv(0x53));
    for (int a = 0; a < 256; a++) {
      if (a != 0) assertEquals(1, Gf256.mul(a, Gf256.inv(a)), "inverse of " + a);
      for (int b = 0; b < 256; b++) {
        assertEquals(Gf256.mul(a, b), Gf256.mul(b, a));
        assertEquals(Gf256.mul(a, b ^ 0x1d), Gf256.mul(a, b) ^ Gf256.mul(a, 0x1d), "distributive");
      }
    }
  }
}
