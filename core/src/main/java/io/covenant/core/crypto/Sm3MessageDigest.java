package io.covenant.core.crypto;

import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * SM3 (GB/T 32905-2016) behind the JDK's {@link MessageDigest} shape, so code that streams into a digest (Merkle
 * trees, CIDs) takes either suite's hash without registering a JCA provider. Not thread-safe, like any MessageDigest.
 */
final class Sm3MessageDigest extends MessageDigest {
  private final SM3Digest sm3 = new SM3Digest();

  Sm3MessageDigest() {
    super("SM3");
  }

  @Override
  protected void engineUpdate(byte input) {
    sm3.update(input);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    sm3.update(input, offset, len);
  }

  @Override
  protected byte[] engineDigest() {
    byte[] out = new byte[sm3.getDigestSize()];
    sm3.doFinal(out, 0);
    return out;
  }

  @Override
  protected int engineGetDigestLength() {
    return 32;
  }

  @Override
  protected void engineReset() {
    sm3.reset();
  }
}
