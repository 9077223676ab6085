package io.covenant.storage.keys;

/**
 * Arithmetic in GF(2^8) with the AES reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11B, FIPS-197 section 4.2).
 * Branch-free and table-free, so timing does not depend on the secret bytes being shared.
 */
final class Gf256 {
  private Gf256() {}

  static int add(int a, int b) {
    return a ^ b;
  }

  /** Carry-less multiply with reduction, eight fixed rounds whatever the operands. */
  static int mul(int a, int b) {
    int p = 0;
    for (int i = 0; i < 8; i++) {
      p ^= -(b & 1) & a;
      int high = -((a >> 7) & 1);
      a = ((a << 1) ^ (high & 0x1B)) & 0xFF;
      b >>= 1;
    }
    return p;
  }

  /** The multiplicative inverse a^254 (a^255 = 1 for a != 0); the caller never passes 0. */
  static int inv(int a) {
    int r = 1;
    int base = a;
    for (int e = 254; e > 0; e >>= 1) {
      int m = mul(r, base);
      r = (e & 1) == 1 ? m : r; // the exponent is public, so this branch reveals nothing
      base = mul(base, base);
    }
    return r;
  }

  /** Evaluates the polynomial with these coefficients (constant term first) at x, by Horner's rule. */
  static int eval(int[] coefficients, int x) {
    int y = 0;
    for (int i = coefficients.length - 1; i >= 0; i--) y = add(mul(y, x), coefficients[i]);
    return y;
  }
}
