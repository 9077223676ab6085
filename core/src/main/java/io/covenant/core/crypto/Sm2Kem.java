package io.covenant.core.crypto;

import io.covenant.core.error.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;

/**
 * Key sealing under the national suite, a KEM/DEM hybrid in the manner of ISO/IEC 18033-2 and of HPKE's single-shot
 * API (RFC 9180 section 6.1), built only from the national algorithms:
 *
 * <ol>
 *   <li>KEM: a fresh 32-byte secret {@code z} is encrypted to the recipient's SM2 key with SM2 public-key encryption
 *       (GB/T 32918.4-2016 section 6.1, BouncyCastle's {@link SM2Engine}, ciphertext order C1 || C3 || C2 of the 2016
 *       standard); that ciphertext is the encapsulated key {@code enc} (97 + 32 = 129 bytes).
 *   <li>KDF: HKDF-SM3 (RFC 5869 over SM3) with salt {@code enc} and info {@code "covenant/sm2-kem/v1" || 0x00 || info}
 *       gives a 16-byte SM4 key and a 12-byte nonce; binding {@code enc} and the caller's info means a ciphertext
 *       cannot be re-used under another encapsulation or for another purpose.
 *   <li>DEM: SM4-GCM (GB/T 32907 in the GCM mode of NIST SP 800-38D, 128-bit tag) over the plaintext with the caller's
 *       AAD.
 * </ol>
 *
 * <p>Each seal uses a new {@code z}, so the derived key and nonce are used once. Opening fails as an
 * {@link IntegrityException} whether the SM2 decryption (its C3 hash check) or the GCM tag fails.
 */
final class Sm2Kem {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] LABEL = "covenant/sm2-kem/v1".getBytes(StandardCharsets.US_ASCII);

  private Sm2Kem() {}

  static SealedMessage seal(ECPublicKeyParameters recipient, byte[] info, byte[] aad, byte[] plaintext) {
    byte[] z = new byte[32];
    RANDOM.nextBytes(z);
    try {
      SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
      engine.init(true, new ParametersWithRandom(recipient, RANDOM));
      byte[] enc = engine.processBlock(z, 0, z.length);
      byte[] km = keyAndNonce(z, enc, info);
      try {
        return new SealedMessage(enc, Sm4Gcm.seal(Arrays.copyOf(km, 16), Arrays.copyOfRange(km, 16, 28), aad, plaintext));
      } finally {
        Arrays.fill(km, (byte) 0);
      }
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("SM2 encryption failed", e);
    } finally {
      Arrays.fill(z, (byte) 0);
    }
  }

  static byte[] open(ECPrivateKeyParameters key, SealedMessage sealed, byte[] info, byte[] aad) {
    byte[] enc = sealed.encapsulatedKey();
    byte[] z;
    try {
      SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
      engine.init(false, key);
      z = engine.processBlock(enc, 0, enc.length);
    } catch (InvalidCipherTextException | IllegalArgumentException | IllegalStateException e) {
      throw new IntegrityException("the sealed message could not be opened: it was sealed to another key, for another context, or altered");
    }
    byte[] km = keyAndNonce(z, enc, info);
    try {
      return Sm4Gcm.open(Arrays.copyOf(km, 16), Arrays.copyOfRange(km, 16, 28), aad, sealed.ciphertext());
    } finally {
      Arrays.fill(km, (byte) 0);
      Arrays.fill(z, (byte) 0);
    }
  }

  private static byte[] keyAndNonce(byte[] z, byte[] enc, byte[] info) {
    byte[] i = new byte[LABEL.length + 1 + info.length];
    System.arraycopy(LABEL, 0, i, 0, LABEL.length);
    System.arraycopy(info, 0, i, LABEL.length + 1, info.length);
    return CryptoSuite.SM.kdf(z, enc, i, 28);
  }
}
