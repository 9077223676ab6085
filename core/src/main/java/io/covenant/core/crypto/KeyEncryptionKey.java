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
 */
public final class KeyEncryptionKey {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] raw;

  private KeyEncryptionKey(byte[] raw) {
    this.raw = raw;
  }

  public static KeyEncryptionKey generate() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return new KeyEncryptionKey(k);
  }

  public static KeyEncryptionKey fromBytes(byte[] raw) {
    if (raw == null || raw.length != 32) throw new MalformedInputException("a key-encryption key has 32 bytes");
    return new KeyEncryptionKey(raw.clone());
  }

  /** For the owner's own keystore file only. */
  public byte[] exportForKeystore() {
    return raw.clone();
  }

  /** The subject key of one of the owner's datasets (see {@link SubjectKey}); the same for every version. */
  public SubjectKey subjectKey(io.covenant.core.id.DatasetId dataset) {
    return SubjectKey.derive(raw, dataset);
  }

  public WrappedKey wrap(DataKey key, String context) {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    byte[] plain = key.exportForWrapping();
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

  @Override
  public String toString() {
    return "KeyEncryptionKey[redacted]";
  }
}
