package io.covenant.core.crypto;

import io.covenant.core.error.IntegrityException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SM4 (GB/T 32907-2016) in Galois/Counter Mode (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag, the AEAD
 * that RFC 8998 section 3.1 names for TLS (AEAD_SM4_GCM), from BouncyCastle's lightweight API. The caller owns the nonce
 * rules (as with AES-GCM): never two plaintexts under one key and nonce.
 */
public final class Sm4Gcm {
  public static final int KEY_BYTES = 16;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  private Sm4Gcm() {}

  /** A GCM cipher over SM4, initialised for {@code encrypt} with {@code key}, {@code nonce} and {@code aad}. */
  public static GCMModeCipher cipher(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
    GCMModeCipher c = GCMBlockCipher.newInstance(new SM4Engine());
    c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, nonce, aad));
    return c;
  }

  public static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    GCMModeCipher c = cipher(true, key, nonce, aad);
    byte[] out = new byte[c.getOutputSize(plaintext.length)];
    int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
    try {
      c.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("SM4-GCM encryption failed", e);
    }
    return out;
  }

  /** Opens {@code ciphertext || tag}; a wrong key, nonce, AAD or any altered byte is an {@link IntegrityException}. */
  public static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] sealed) {
    GCMModeCipher c = cipher(false, key, nonce, aad);
    byte[] out = new byte[Math.max(0, c.getOutputSize(sealed.length))];
    try {
      int n = c.processBytes(sealed, 0, sealed.length, out, 0);
      c.doFinal(out, n);
      return out;
    } catch (InvalidCipherTextException | IllegalArgumentException e) {
      throw new IntegrityException("SM4-GCM authentication failed: the key, nonce or context is wrong, or the data was altered");
    }
  }
}
