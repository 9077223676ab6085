package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 public key, published on the ledger in ORG_REGISTERED. */
public final class VerifyingKey {
  private final byte[] raw;

  private VerifyingKey(byte[] raw) {
    this.raw = raw;
  }

  public static VerifyingKey of(byte[] raw) {
    if (raw == null || raw.length != 32) throw new MalformedInputException("an Ed25519 public key has 32 bytes");
    return new VerifyingKey(raw.clone());
  }

  public static VerifyingKey parse(String hex) {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) throw new MalformedInputException("public key '" + hex + "' is not 64 hex digits");
    return new VerifyingKey(HexFormat.of().parseHex(hex));
  }

  public boolean verify(byte[] message, Signature signature) {
    try {
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, new Ed25519PublicKeyParameters(raw, 0));
      v.update(message, 0, message.length);
      return v.verifySignature(signature.bytes());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(raw);
  }

  public String shortForm() {
    return hex().substring(0, 12);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyingKey k && MessageDigest.isEqual(raw, k.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return hex();
  }
}
