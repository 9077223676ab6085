package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A public key that results and released data keys are sealed to: an X25519 key for HPKE (RFC 9180) under the
 * international suite (32 bytes), a compressed SM2 point for {@link Sm2Kem} under the national suite (33 bytes).
 */
public final class HpkePublicKey {
  private static final Pattern HEX_FORM = Pattern.compile("[0-9a-f]{64}([0-9a-f]{2})?");
  private final byte[] raw;

  private HpkePublicKey(byte[] raw) {
    this.raw = raw;
  }

  public static HpkePublicKey of(byte[] raw) {
    if (raw != null && raw.length == 33) {
      try {
        Sm2.publicFrom(raw);
      } catch (IllegalArgumentException e) {
        throw new MalformedInputException("a 33-byte sealing key must be a compressed SM2 point, and this one is not on the curve");
      }
      return new HpkePublicKey(raw.clone());
    }
    if (raw == null || raw.length != 32) throw new MalformedInputException("a sealing public key has 32 bytes (X25519) or 33 bytes (compressed SM2)");
    return new HpkePublicKey(raw.clone());
  }

  public static HpkePublicKey parse(String hex) {
    if (hex == null || !HEX_FORM.matcher(hex).matches()) {
      throw new MalformedInputException("sealing public key '" + hex + "' is not 64 (X25519) or 66 (SM2) hex digits");
    }
    return of(HexFormat.of().parseHex(hex));
  }

  public CryptoSuite suite() {
    return raw.length == 33 ? CryptoSuite.SM : CryptoSuite.INTL;
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(raw);
  }

  public Digest fingerprint() {
    return suite().hash(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkePublicKey k && MessageDigest.isEqual(raw, k.raw);
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
