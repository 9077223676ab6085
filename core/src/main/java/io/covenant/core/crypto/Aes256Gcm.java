package io.covenant.core.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256 in Galois/Counter Mode (FIPS 197, NIST SP 800-38D; 96-bit nonce, 128-bit tag) from the JDK, which runs it on
 * AES-NI and CLMUL: the international suite's AEAD ({@link CryptoSuite#INTL}, as {@link Sm4Gcm} is the national one's)
 * and the AEAD of the places {@link FixedAlgorithms} names. The caller owns the nonce rules.
 */
public final class Aes256Gcm {
  /** The JCA transformation; only core names it. */
  static final String TRANSFORMATION = "AES/GCM/NoPadding";
  static final String KEY_ALGORITHM = "AES";
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  private Aes256Gcm() {}

  /** A fresh, uninitialised JDK cipher for AES/GCM (initialise it with a {@code GCMParameterSpec} of 128 bits). */
  public static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no AES-GCM", e);
    }
  }

  /** {@code raw} (16, 24 or 32 bytes) as a JDK AES key; the caller wipes {@code raw} when it no longer needs it. */
  public static SecretKey key(byte[] raw) {
    return new SecretKeySpec(raw, KEY_ALGORITHM);
  }
}
