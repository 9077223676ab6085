package io.covenant.node.keystore;

import io.covenant.core.crypto.Argon2id;
import io.covenant.core.crypto.FixedAlgorithms;
import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals one organisation's keystore files: 256 bits from {@link Argon2id} over the keystore's secret and
 * its own random salt, used with AES-256-GCM (NIST SP 800-38D, 96-bit random nonce, 128-bit tag). Each file's
 * associated data is {@code covenant-keystore/2/<org>/<file>}, so a file cannot be moved to another name or another
 * organisation's keystore unnoticed.
 */
public final class KeystoreCipher {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final OrgId org;
  private final SecretKeySpec key;

  private KeystoreCipher(OrgId org, byte[] key) {
    this.org = org;
    this.key = FixedAlgorithms.aesKey(key);
    Arrays.fill(key, (byte) 0);
  }

  public static byte[] newSalt() {
    byte[] s = new byte[16];
    RANDOM.nextBytes(s);
    return s;
  }

  public static KeystoreCipher derive(OrgId org, KeystoreSecret secret, Argon2id cost, byte[] salt) {
    return new KeystoreCipher(org, cost.derive(secret.bytes(), salt, 32));
  }

  public Json.JObject seal(String file, byte[] plaintext) {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = FixedAlgorithms.aesGcm();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(file));
      byte[] ct = c.doFinal(plaintext);
      return Json.obj("nonce", Base64.getEncoder().encodeToString(nonce), "ciphertext", Base64.getEncoder().encodeToString(ct));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
    }
  }

  /** The plaintext of {@code sealed}; throws {@link AEADBadTagException} if the key is wrong or the file was altered. */
  public byte[] open(String file, Json.JObject sealed) throws AEADBadTagException {
    byte[] nonce;
    byte[] ct;
    try {
      nonce = Base64.getDecoder().decode(sealed.string("nonce"));
      ct = Base64.getDecoder().decode(sealed.string("ciphertext"));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("the sealed keystore file " + file + " is not valid base64");
    }
    if (nonce.length != 12) throw new MalformedInputException("the sealed keystore file " + file + " has a nonce of " + nonce.length + " bytes, not 12");
    try {
      Cipher c = FixedAlgorithms.aesGcm();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(file));
      return c.doFinal(ct);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
    }
  }

  private byte[] aad(String file) {
    return ("covenant-keystore/2/" + org.value() + "/" + file).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "KeystoreCipher[" + org + ", redacted]";
  }
}
