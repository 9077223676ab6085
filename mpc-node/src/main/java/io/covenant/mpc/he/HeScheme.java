package io.covenant.mpc.he;

/** The two homomorphic schemes the engine runs, both as implemented in Microsoft SEAL. */
public enum HeScheme {
  /**
   * Brakerski/Fan-Vercauteren: exact arithmetic on integers modulo a plaintext prime t, in N SIMD slots (Fan and
   * Vercauteren, "Somewhat Practical Fully Homomorphic Encryption", ePrint 2012/144). For counts and integer sums.
   */
  BFV,
  /**
   * Cheon-Kim-Kim-Song: approximate arithmetic on reals in N/2 SIMD slots, each result off by a small error that the
   * engine measures and reports (Cheon et al., "Homomorphic Encryption for Arithmetic of Approximate Numbers",
   * ASIACRYPT 2017). For model scores and real-valued sums.
   */
  CKKS
}
