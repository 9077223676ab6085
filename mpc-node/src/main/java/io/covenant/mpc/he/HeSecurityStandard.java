package io.covenant.mpc.he;

import java.util.Map;
import java.util.TreeMap;

/**
 * The 128-bit classical security bound of the HomomorphicEncryption.org standard: for a ring dimension N, the largest
 * total bit length of the ciphertext modulus q (the product of the coefficient-modulus primes, the special prime
 * included) at which the best known lattice attacks still cost 2^128 operations, for a uniform ternary secret and
 * error of standard deviation 3.2 (Albrecht, Chase, Chen, Ding, Hofheinz, Kirshner, Laine, Lauter, Lokam, Micciancio,
 * Moody, Morrison, Sahai, Vaikuntanathan, "Homomorphic Encryption Security Standard", HomomorphicEncryption.org,
 * November 2018, Table 1; SEAL encodes the same table). The engine checks every parameter set against this table when
 * it is built and when it is loaded from a peer, before SEAL sees it, and SEAL checks it again (sec_level tc128).
 */
public final class HeSecurityStandard {
  private HeSecurityStandard() {}

  private static final Map<Integer, Integer> MAX_LOG_Q_128 = new TreeMap<>(Map.of(
      1024, 27, 2048, 54, 4096, 109, 8192, 218, 16384, 438, 32768, 881));

  /** The largest total log2 q allowed at N for 128-bit security. */
  public static int maxLogQ(int polyModulusDegree) {
    Integer max = MAX_LOG_Q_128.get(polyModulusDegree);
    if (max == null) {
      throw new InsecureParametersException("ring dimension N = " + polyModulusDegree + " is not in the HomomorphicEncryption.org table; "
          + "use one of " + MAX_LOG_Q_128.keySet());
    }
    return max;
  }

  /** Refuses parameters whose modulus is too large for 128-bit security at their ring dimension. */
  public static void require128Bit(HeScheme scheme, int polyModulusDegree, int totalLogQ) {
    int max = maxLogQ(polyModulusDegree);
    if (totalLogQ > max) {
      throw new InsecureParametersException(scheme + " parameters with N = " + polyModulusDegree + " and a " + totalLogQ + "-bit modulus q are below "
          + "128-bit security: the HomomorphicEncryption.org standard allows at most " + max + " bits at this N. Use fewer or smaller "
          + "coefficient-modulus primes, or N = " + (2 * polyModulusDegree) + " (at most " + MAX_LOG_Q_128.getOrDefault(2 * polyModulusDegree, 0) + " bits)");
    }
  }
}
