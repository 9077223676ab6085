package io.covenant.core.crypto;

import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An owner's key-encryption key. Data keys are wrapped with AES-256-GCM (random 96-bit nonce; a KEK wraps few keys,
 * far below the 2^32 random-nonce limit of NIST SP 800-38D §8.3) and the wrapping context (which dataset version the
 * key belongs to) is the AAD, so a wrapped key cannot be moved to another dataset.
 *
 * <p>Under the national crypto suite the same construction runs with SM4-GCM ({@link Sm4Gcm}) under a 128-bit key
 * derived from the 256-bit KEK with HKDF-SM3 (info {@value #SM4_INFO}); the wrapped form keeps its 60-byte layout
 * (nonce, encrypted key, tag). The suite is the owner's, given when the keystore opens the KEK.
 */
public final class KeyEncryptionKey {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String SM4_INFO = "covenant/kek/sm4-gcm/v1";
  private final byte[] raw;
  private final CryptoSuite suite;

  private KeyEncryptionKey(byte[] raw, CryptoSuite suite) {
    this.raw = raw;
    this.suite = suite;
  }

  public static KeyEncryptionKey generate() {
    return generate(CryptoSuite.INTL);
  }

  public static KeyEncryptionKey generate(CryptoSuite suite) {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return new KeyEncryptionKey(k, suite);
  }

  public static KeyEncryptionKey fromBytes(byte[] raw) {
    return fromBytes(raw, CryptoSuite.INTL);
  }

  /** The KEK an owner's keystore holds, used under the owner's (the consortium's) {@code suite}. */
  public static KeyEncryptionKey fromBytes(byte[] raw, CryptoSuite suite) {
    if (raw == null || raw.length != 32) throw new MalformedInputException("a key-encryption key has 32 bytes");
    if (suite == null) throw new MalformedInputException("a key-encryption key needs its crypto suite");
    return new KeyEncryptionKey(raw.clone(), suite);
  }

  public CryptoSuite suite() {
    return suite;
  }

  /** For the owner's own keystore file only. */
  public byte[] exportForKeystore() {
    return raw.clone();
  }

  /** The subject key of one of the owner's datasets (see {@link SubjectKey}); the same for every version. */
  public SubjectKey subjectKey(io.covenant.core.id.DatasetId dataset) {
    return SubjectKey.derive(raw, dataset, suite);
  }

  public WrappedKey wrap(DataKey key, String context) {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    byte[] plain = key.exportForWrapping();
    if (suite.isNational()) {
      byte[] k = sm4Key();
      try {
        byte[] ct = Sm4Gcm.seal(k, nonce, context.getBytes(StandardCharsets.UTF_8), plain);
        byte[] out = new byte[12 + ct.length];
        System.arraycopy(nonce, 0, out, 0, 12);
        System.arraycopy(ct, 0, out, 12, ct.length);
        return new WrappedKey(out);
      } finally {
        Arrays.fill(k, (byte) 0);
        Arrays.fill(plain, (byte) 0);
      }
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(plain);
      byte[] out = new byte[12 + ct.length];
      System.arraycopy(nonce, 0, out, 0, 12);
      System.arraycopy(ct, 0, out, 12, ct.length);
      return new WrappedKey(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  public DataKey unwrap(WrappedKey wrapped, String context) {
    byte[] w = wrapped.bytes();
    if (suite.isNational()) {
      byte[] k = sm4Key();
      byte[] plain = null;
      try {
        plain = Sm4Gcm.open(k, Arrays.copyOf(w, 12), context.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(w, 12, w.length));
        return DataKey.fromBytes(plain);
      } catch (IntegrityException e) {
        throw new IntegrityException(
            "the data key for " + context + " could not be unwrapped: this is not the owner's key-encryption key, or the wrapped key was altered");
      } finally {
        Arrays.fill(k, (byte) 0);
        if (plain != null) Arrays.fill(plain, (byte) 0);
      }
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, w, 0, 12));
      c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] plain = c.doFinal(w, 12, w.length - 12);
      try {
        return DataKey.fromBytes(plain);
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } catch (AEADBadTagException e) {
      throw new IntegrityException(
          "the data key for " + context + " could not be unwrapped: this is not the owner's key-encryption key, or the wrapped key was altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private byte[] sm4Key() {
    return suite.kdf(raw, null, SM4_INFO.getBytes(StandardCharsets.US_ASCII), Sm4Gcm.KEY_BYTES);
  }

  @Override
  public String toString() {
    return "KeyEncryptionKey[redacted]";
  }
}
