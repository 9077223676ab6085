package io.covenant.core.crypto;

import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * HPKE (RFC 9180) base mode, suite DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM, from BouncyCastle.
 * Results are sealed to the consumer's key pair; released data keys are sealed to the enclave's ephemeral pair.
 * The private half never leaves this object and is never printed.
 */
public final class HpkeKeyPair {
  private final AsymmetricCipherKeyPair pair;

  private HpkeKeyPair(AsymmetricCipherKeyPair pair) {
    this.pair = pair;
  }

  static HPKE suite() {
    return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
  }

  public static HpkeKeyPair generate() {
    return new HpkeKeyPair(suite().generatePrivateKey());
  }

  /** Restores a pair from the 32-byte X25519 private key an organisation's keystore holds. */
  public static HpkeKeyPair fromPrivate(byte[] sk) {
    if (sk == null || sk.length != 32) throw new MalformedInputException("an X25519 private key has 32 bytes");
    X25519PrivateKeyParameters priv = new X25519PrivateKeyParameters(sk, 0);
    return new HpkeKeyPair(new AsymmetricCipherKeyPair(priv.generatePublicKey(), priv));
  }

  public byte[] privateForKeystore() {
    return ((X25519PrivateKeyParameters) pair.getPrivate()).getEncoded();
  }

  public HpkePublicKey publicKey() {
    return HpkePublicKey.of(suite().serializePublicKey(pair.getPublic()));
  }

  /** Seals {@code plaintext} to {@code recipient}; {@code info} names the use, {@code aad} binds context. */
  public static SealedMessage seal(HpkePublicKey recipient, byte[] info, byte[] aad, byte[] plaintext) {
    HPKE h = suite();
    try {
      byte[][] out = h.seal(h.deserializePublicKey(recipient.bytes()), info, aad, plaintext, null, null, null);
      return new SealedMessage(out[1], out[0]);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("HPKE seal failed", e);
    }
  }

  public byte[] open(SealedMessage sealed, byte[] info, byte[] aad) {
    try {
      return suite().open(sealed.encapsulatedKey(), pair, info, aad, sealed.ciphertext(), null, null, null);
    } catch (InvalidCipherTextException | IllegalArgumentException e) {
      throw new IntegrityException("the sealed message could not be opened: it was sealed to another key, for another context, or altered");
    }
  }

  @Override
  public String toString() {
    return "HpkeKeyPair[public " + publicKey().hex().substring(0, 12) + "]";
  }
}
