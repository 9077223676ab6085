package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An organisation's signing key: Ed25519 (RFC 8032) under the international suite, SM2 (GB/T 32918.2, see {@link Sm2})
 * under the national one. Opaque: it signs, it never prints itself. Every ledger event and every manifest is signed by
 * the organisation that stands behind it.
 */
public final class SigningKey {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Ed25519PrivateKeyParameters ed25519;
  private final ECPrivateKeyParameters sm2;

  private SigningKey(Ed25519PrivateKeyParameters ed25519, ECPrivateKeyParameters sm2) {
    this.ed25519 = ed25519;
    this.sm2 = sm2;
  }

  /** A new Ed25519 key (the international suite); {@link CryptoSuite#generateSigningKey()} picks by suite. */
  public static SigningKey generate() {
    return new SigningKey(new Ed25519PrivateKeyParameters(RANDOM), null);
  }

  public static SigningKey generate(CryptoSuite suite) {
    return suite.generateSigningKey();
  }

  static SigningKey generateSm2() {
    return new SigningKey(null, Sm2.generatePrivate());
  }

  /**
   * Restores a key from what a keystore holds: a 32-byte Ed25519 seed, or 33 bytes (tag 'S', then the SM2 private
   * scalar) for an SM2 key.
   */
  public static SigningKey fromSeed(byte[] seed) {
    if (Sm2.isKeystoreForm(seed)) return new SigningKey(null, Sm2.privateFromKeystore(seed));
    if (seed == null || seed.length != 32) throw new MalformedInputException("a signing key seed has 32 bytes (Ed25519) or 33 bytes (tagged SM2)");
    return new SigningKey(new Ed25519PrivateKeyParameters(seed, 0), null);
  }

  /** The seed (Ed25519) or tagged private scalar (SM2), for the organisation's own keystore only. */
  public byte[] seedForKeystore() {
    return sm2 != null ? Sm2.keystoreForm(sm2) : ed25519.getEncoded();
  }

  public CryptoSuite suite() {
    return sm2 != null ? CryptoSuite.SM : CryptoSuite.INTL;
  }

  public VerifyingKey verifyingKey() {
    return sm2 != null ? VerifyingKey.of(Sm2.compressed(Sm2.publicOf(sm2))) : VerifyingKey.of(ed25519.generatePublicKey().getEncoded());
  }

  public Signature sign(byte[] message) {
    if (sm2 != null) return Signature.of(Sm2.sign(sm2, message));
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, ed25519);
    s.update(message, 0, message.length);
    return Signature.of(s.generateSignature());
  }

  @Override
  public String toString() {
    return "SigningKey[" + (sm2 != null ? "sm2" : "ed25519") + ", public " + verifyingKey().shortForm() + "]";
  }
}
