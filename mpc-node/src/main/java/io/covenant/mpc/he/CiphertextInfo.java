package io.covenant.mpc.he;

/**
 * Where a ciphertext stands: its level (SEAL's chain index: how many rescales it can still take), its CKKS scale, and
 * its size in polynomials (2 when fresh or relinearised, 3 after a multiplication).
 */
public record CiphertextInfo(int level, double scale, int size) {}
