package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A public signing key, published on the ledger in ORG_REGISTERED: 32 bytes for Ed25519 (international suite), a
 * 33-byte compressed sm2p256v1 point for SM2 (national suite). The length says which; {@link #suite()} tells.
 */
public final class VerifyingKey {
  private static final Pattern HEX_FORM = Pattern.compile("[0-9a-f]{64}([0-9a-f]{2})?");
  private final byte[] raw;
  /** The decoded SM2 point, kept once decoded: a ledger verifies every append against the same few keys. */
  private volatile org.bouncycastle.crypto.params.ECPublicKeyParameters sm2Point;

  private VerifyingKey(byte[] raw) {
    this.raw = raw;
  }

  public static VerifyingKey of(byte[] raw) {
    if (raw != null && raw.length == 33) {
      try {
        Sm2.publicFrom(raw);
      } catch (IllegalArgumentException e) {
        throw new MalformedInputException("a 33-byte public key must be a compressed SM2 point, and this one is not on the curve");
      }
      return new VerifyingKey(raw.clone());
    }
    if (raw == null || raw.length != 32) throw new MalformedInputException("a public key has 32 bytes (Ed25519) or 33 bytes (compressed SM2)");
    return new VerifyingKey(raw.clone());
  }

  public static VerifyingKey parse(String hex) {
    if (hex == null || !HEX_FORM.matcher(hex).matches()) {
      throw new MalformedInputException("public key '" + hex + "' is not 64 (Ed25519) or 66 (SM2) lower-case hex digits");
    }
    return of(HexFormat.of().parseHex(hex));
  }

  public CryptoSuite suite() {
    return raw.length == 33 ? CryptoSuite.SM : CryptoSuite.INTL;
  }

  public boolean verify(byte[] message, Signature signature) {
    try {
      if (raw.length == 33) {
        var point = sm2Point;
        if (point == null) sm2Point = point = Sm2.publicFrom(raw);
        return Sm2.verify(point, message, signature.bytes());
      }
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, new Ed25519PublicKeyParameters(raw, 0));
      v.update(message, 0, message.length);
      return v.verifySignature(signature.bytes());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Verifies signatures under one key decoded once. */
  @FunctionalInterface
  public interface Prepared {
    boolean verify(byte[] message, Signature signature);
  }

  /**
   * This key decoded once, for verifying many signatures (the ledger's append path): BouncyCastle's Ed25519 verify
   * then skips the point decompression and message copy it would otherwise repeat on every call (about 15% of a
   * verification); an SM2 key keeps its decoded point either way. Decides exactly what {@link #verify} decides.
   */
  public Prepared prepared() {
    if (raw.length == 33) return this::verify;
    Ed25519PublicKeyParameters key = new Ed25519PublicKeyParameters(raw, 0);
    return (message, signature) -> {
      try {
        return key.verify(org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature.bytes(), 0);
      } catch (IllegalArgumentException e) {
        return false;
      }
    };
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
