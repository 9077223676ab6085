package io.covenant.mpc.fl.secagg;

import io.covenant.core.crypto.FixedAlgorithms;
import io.covenant.core.error.IntegrityException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The authenticated encryption of Bonawitz et al.'s ShareKeys round: hospital u's shares for hospital v travel through
 * the aggregator under AES-256-GCM, keyed by SHA-256 of the X25519 agreement of u's and v's encryption keys, with
 * (round, u, v) as associated data, so the aggregator can neither read nor redirect them.
 */
final class ShareCipher {
  static final int NONCE_BYTES = 12;
  private final SecretKeySpec key;

  ShareCipher(byte[] agreedSecret, int round) {
    this.key = MaskExpansion.key("covenant/secagg/share-encryption", round, agreedSecret, 32);
  }

  private static byte[] aad(int round, int from, int to) {
    return ByteBuffer.allocate(12).putInt(round).putInt(from).putInt(to).array();
  }

  byte[] seal(int round, int from, int to, byte[] plaintext, SecureRandom random) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = FixedAlgorithms.aesGcm();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(round, from, to));
      byte[] ct = c.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + ct.length).put(nonce).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES/GCM is unavailable", e);
    }
  }

  byte[] open(int round, int from, int to, byte[] sealed) {
    if (sealed.length < NONCE_BYTES + 16) throw new IntegrityException("the shares from hospital " + from + " are too short to be a sealed message");
    try {
      Cipher c = FixedAlgorithms.aesGcm();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
      c.updateAAD(aad(round, from, to));
      return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new IntegrityException("the shares hospital " + from + " sealed for hospital " + to + " in round " + round
          + " failed authentication: they were altered or misdirected on the way through the aggregator");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES/GCM is unavailable", e);
    }
  }
}
