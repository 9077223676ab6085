package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An organisation's Ed25519 signing key (RFC 8032). Opaque: it signs, it never prints itself. Every ledger event
 * and every manifest is signed by the organisation that stands behind it.
 */
public final class SigningKey {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Ed25519PrivateKeyParameters key;

  private SigningKey(Ed25519PrivateKeyParameters key) {
    this.key = key;
  }

  public static SigningKey generate() {
    return new SigningKey(new Ed25519PrivateKeyParameters(RANDOM));
  }

  /** Restores a key from the 32-byte seed a keystore holds. */
  public static SigningKey fromSeed(byte[] seed) {
    if (seed == null || seed.length != 32) throw new MalformedInputException("an Ed25519 key seed has 32 bytes");
    return new SigningKey(new Ed25519PrivateKeyParameters(seed, 0));
  }

  /** The 32-byte seed, for the organisation's own keystore only. */
  public byte[] seedForKeystore() {
    return key.getEncoded();
  }

  public VerifyingKey verifyingKey() {
    return VerifyingKey.of(key.generatePublicKey().getEncoded());
  }

  public Signature sign(byte[] message) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, key);
    s.update(message, 0, message.length);
    return Signature.of(s.generateSignature());
  }

  @Override
  public String toString() {
    return "SigningKey[ed25519, public " + verifyingKey().shortForm() + "]";
  }
}
