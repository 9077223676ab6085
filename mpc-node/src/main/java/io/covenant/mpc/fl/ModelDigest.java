package io.covenant.mpc.fl;

import io.covenant.core.crypto.Digest;
import java.nio.ByteBuffer;

/** SHA-256 of a model's parameters (big-endian IEEE 754 doubles) or of an aggregate (big-endian 64-bit words). */
public final class ModelDigest {
  private ModelDigest() {}

  public static Digest ofModel(double[] parameters) {
    ByteBuffer b = ByteBuffer.allocate(parameters.length * Double.BYTES);
    b.asDoubleBuffer().put(parameters);
    return Digest.ofContent(b.array());
  }

  public static Digest ofAggregate(long[] words) {
    ByteBuffer b = ByteBuffer.allocate(words.length * Long.BYTES);
    b.asLongBuffer().put(words);
    return Digest.ofContent(b.array());
  }
}
