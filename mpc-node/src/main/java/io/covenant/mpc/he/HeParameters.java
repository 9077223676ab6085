package io.covenant.mpc.he;

import java.util.List;

/**
 * One homomorphic parameter set: the scheme, the ring dimension N (a power of two; CKKS has N/2 slots, BFV N), the bit
 * sizes of the coefficient-modulus primes (first the data primes q_0..q_L, then SEAL's special key-switching prime),
 * and for CKKS the scale 2^scaleBits at which reals are encoded, for BFV the bit size of the batching plaintext prime t.
 * Every set is 128-bit secure by construction: the constructor refuses one that is not ({@link HeSecurityStandard}).
 *
 * <p>CKKS depth: each rescale consumes one data prime, so a circuit of multiplicative depth d needs d primes of about
 * scaleBits bits after q_0, and q_0 - scaleBits bits of headroom bound the largest value a result may hold.
 */
public record HeParameters(HeScheme scheme, int polyModulusDegree, List<Integer> coeffModulusBits, int scaleBits, int plainModulusBits) {

  /**
   * CKKS for the scoring circuit (depth 3: the plaintext-ciphertext inner product, then z², then a·z³): N = 8192,
   * q = 52 + 38 + 38 + 38 + 52 = 218 bits (exactly the 128-bit bound), scale 2^38, 14 bits of headroom.
   */
  public static final HeParameters CKKS_SCORING = ckks(8192, List.of(52, 38, 38, 38, 52), 38);

  /** CKKS for sums of reals (depth 0): N = 8192 (4096 slots), q = 60 + 60 = 120 bits, scale 2^40. */
  public static final HeParameters CKKS_AGGREGATE = ckks(8192, List.of(60, 60), 40);

  /** BFV for exact integer sums: N = 4096 slots, q = 36 + 36 + 37 = 109 bits (SEAL's default), t a 30-bit prime. */
  public static final HeParameters BFV_AGGREGATE = bfv(4096, List.of(36, 36, 37), 30);

  /** The operation of the native-SEAL anchor: CKKS N = 8192, q = 60 + 40 + 40 + 60 = 200 bits, scale 2^40. */
  public static final HeParameters CKKS_ANCHOR = ckks(8192, List.of(60, 40, 40, 60), 40);

  public HeParameters {
    if (scheme == null) throw new InsecureParametersException("the scheme is missing: BFV or CKKS");
    coeffModulusBits = List.copyOf(coeffModulusBits);
    HeSecurityStandard.maxLogQ(polyModulusDegree);
    if (coeffModulusBits.size() < 2) {
      throw new InsecureParametersException("the coefficient modulus needs at least two primes (data and key-switching); got " + coeffModulusBits);
    }
    for (int b : coeffModulusBits) {
      if (b < 20 || b > 60) throw new InsecureParametersException("each coefficient-modulus prime has 20 to 60 bits in SEAL; got " + coeffModulusBits);
    }
    HeSecurityStandard.require128Bit(scheme, polyModulusDegree, totalModulusBits(coeffModulusBits));
    if (scheme == HeScheme.CKKS) {
      if (scaleBits < 20 || scaleBits >= coeffModulusBits.get(0)) {
        throw new InsecureParametersException("the CKKS scale must be 2^20 or more and below the first prime (" + coeffModulusBits.get(0) + " bits); got 2^" + scaleBits);
      }
      if (plainModulusBits != 0) throw new InsecureParametersException("CKKS has no plaintext modulus; pass 0");
    } else {
      if (plainModulusBits < 17 || plainModulusBits > 60) {
        throw new InsecureParametersException("the BFV plaintext prime has 17 to 60 bits (it must be 1 mod 2N for batching); got " + plainModulusBits);
      }
      if (scaleBits != 0) throw new InsecureParametersException("BFV has no scale; pass 0");
    }
  }

  public static HeParameters ckks(int polyModulusDegree, List<Integer> coeffModulusBits, int scaleBits) {
    return new HeParameters(HeScheme.CKKS, polyModulusDegree, coeffModulusBits, scaleBits, 0);
  }

  public static HeParameters bfv(int polyModulusDegree, List<Integer> coeffModulusBits, int plainModulusBits) {
    return new HeParameters(HeScheme.BFV, polyModulusDegree, coeffModulusBits, 0, plainModulusBits);
  }

  /** SIMD slots per ciphertext: N/2 for CKKS, N for BFV. */
  public int slots() {
    return scheme == HeScheme.CKKS ? polyModulusDegree / 2 : polyModulusDegree;
  }

  /** The CKKS encoding scale 2^scaleBits. */
  public double scale() {
    return Math.scalb(1.0, scaleBits);
  }

  /** Rescales a CKKS ciphertext can take before only q_0 is left. */
  public int depth() {
    return coeffModulusBits.size() - 2;
  }

  public int totalModulusBits() {
    return totalModulusBits(coeffModulusBits);
  }

  static int totalModulusBits(List<Integer> bits) {
    return bits.stream().mapToInt(Integer::intValue).sum();
  }

  @Override
  public String toString() {
    return scheme + " N=" + polyModulusDegree + " q=" + coeffModulusBits + (scheme == HeScheme.CKKS ? " scale=2^" + scaleBits : " t=" + plainModulusBits + " bits");
  }
}
