package io.covenant.mpc.fl.secagg;

import io.covenant.core.crypto.Digest;
import io.covenant.mpc.sharing.CorrelatedRandomness;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;

/**
 * The PRG of Bonawitz et al.: a 32-byte seed (an agreed X25519 secret, or a self-mask seed b_u) expanded to m words of
 * Z_2^64 by AES-256-CTR, keyed by SHA-256(label ‖ round ‖ seed). The label separates pairwise masks from self masks
 * and from the share-encryption keys derived from other secrets.
 */
final class MaskExpansion {
  private MaskExpansion() {}

  static long[] pairwise(byte[] agreedSecret, int round, int m) {
    return CorrelatedRandomness.keystream(key("covenant/secagg/pairwise-mask", round, agreedSecret), 0, m);
  }

  static long[] self(byte[] seed, int round, int m) {
    return CorrelatedRandomness.keystream(key("covenant/secagg/self-mask", round, seed), 0, m);
  }

  static SecretKeySpec key(String label, int round, byte[] secret) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(l.length + 4 + secret.length);
    b.put(l).putInt(round).put(secret);
    return new SecretKeySpec(Digest.sha256(b.array()).bytes(), "AES");
  }
}
