package io.covenant.core.crypto;

import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * A key pair that results and released keys are sealed to. International suite: HPKE (RFC 9180) base mode,
 * DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM, from BouncyCastle. National suite: an SM2 key pair and the
 * KEM/DEM of {@link Sm2Kem} (SM2 encryption, HKDF-SM3, SM4-GCM). Results are sealed to the consumer's key pair;
 * released data keys are sealed to the enclave's ephemeral pair. The private half never leaves this object and is
 * never printed.
 */
public final class HpkeKeyPair {
  private final AsymmetricCipherKeyPair pair;
  private final ECPrivateKeyParameters sm2;

  private HpkeKeyPair(AsymmetricCipherKeyPair pair) {
    this.pair = pair;
    this.sm2 = null;
  }

  private HpkeKeyPair(ECPrivateKeyParameters sm2) {
    this.pair = null;
    this.sm2 = sm2;
  }

  static HpkeKeyPair generateSm2() {
    return new HpkeKeyPair(Sm2.generatePrivate());
  }

  public static HpkeKeyPair generate(CryptoSuite suite) {
    return suite.generateSealingKeys();
  }

  public CryptoSuite suite() {
    return sm2 != null ? CryptoSuite.SM : CryptoSuite.INTL;
  }

  static HPKE x25519Hpke() {
    return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
  }

  public static HpkeKeyPair generate() {
    return new HpkeKeyPair(x25519Hpke().generatePrivateKey());
  }

  /** Restores a pair from the 32-byte X25519 private key (or 33-byte tagged SM2 key) an organisation's keystore holds. */
  public static HpkeKeyPair fromPrivate(byte[] sk) {
    if (Sm2.isKeystoreForm(sk)) return new HpkeKeyPair(Sm2.privateFromKeystore(sk));
    if (sk == null || sk.length != 32) throw new MalformedInputException("an X25519 private key has 32 bytes");
    X25519PrivateKeyParameters priv = new X25519PrivateKeyParameters(sk, 0);
    return new HpkeKeyPair(new AsymmetricCipherKeyPair(priv.generatePublicKey(), priv));
  }

  public byte[] privateForKeystore() {
    if (sm2 != null) return Sm2.keystoreForm(sm2);
    return ((X25519PrivateKeyParameters) pair.getPrivate()).getEncoded();
  }

  public HpkePublicKey publicKey() {
    if (sm2 != null) return HpkePublicKey.of(Sm2.compressed(Sm2.publicOf(sm2)));
    return HpkePublicKey.of(x25519Hpke().serializePublicKey(pair.getPublic()));
  }

  /** Seals {@code plaintext} to {@code recipient}; {@code info} names the use, {@code aad} binds context. */
  public static SealedMessage seal(HpkePublicKey recipient, byte[] info, byte[] aad, byte[] plaintext) {
    if (recipient.suite().isNational()) return Sm2Kem.seal(Sm2.publicFrom(recipient.bytes()), info, aad, plaintext);
    HPKE h = x25519Hpke();
    try {
      byte[][] out = h.seal(h.deserializePublicKey(recipient.bytes()), info, aad, plaintext, null, null, null);
      return new SealedMessage(out[1], out[0]);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("HPKE seal failed", e);
    }
  }

  public byte[] open(SealedMessage sealed, byte[] info, byte[] aad) {
    if (sm2 != null) return Sm2Kem.open(sm2, sealed, info, aad);
    try {
      return x25519Hpke().open(sealed.encapsulatedKey(), pair, info, aad, sealed.ciphertext(), null, null, null);
    } catch (InvalidCipherTextException | IllegalArgumentException e) {
      throw new IntegrityException("the sealed message could not be opened: it was sealed to another key, for another context, or altered");
    }
  }

  @Override
  public String toString() {
    return "HpkeKeyPair[public " + publicKey().hex().substring(0, 12) + "]";
  }
}
