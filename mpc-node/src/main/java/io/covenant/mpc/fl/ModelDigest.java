package io.covenant.mpc.fl;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import java.nio.ByteBuffer;

/**
 * The consortium's hash (SHA-256 or SM3, {@link FlJobSpec#suite}) of a model's parameters (big-endian IEEE 754 doubles)
 * or of an aggregate (big-endian 64-bit words): what FL rounds and RESULT_COMMITTED record.
 */
public final class ModelDigest {
  private ModelDigest() {}

  public static Digest ofModel(CryptoSuite suite, double[] parameters) {
    ByteBuffer b = ByteBuffer.allocate(parameters.length * Double.BYTES);
    b.asDoubleBuffer().put(parameters);
    return suite.hash(b.array());
  }

  public static Digest ofAggregate(CryptoSuite suite, long[] words) {
    ByteBuffer b = ByteBuffer.allocate(words.length * Long.BYTES);
    b.asLongBuffer().put(words);
    return suite.hash(b.array());
  }
}
