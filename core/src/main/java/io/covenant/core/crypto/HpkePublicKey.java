package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** An X25519 public key that results and released data keys are sealed to with HPKE (RFC 9180). */
public final class HpkePublicKey {
  private final byte[] raw;

  private HpkePublicKey(byte[] raw) {
    this.raw = raw;
  }

  public static HpkePublicKey of(byte[] raw) {
    if (raw == null || raw.length != 32) throw new MalformedInputException("an X25519 public key has 32 bytes");
    return new HpkePublicKey(raw.clone());
  }

  public static HpkePublicKey parse(String hex) {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) throw new MalformedInputException("X25519 public key '" + hex + "' is not 64 hex digits");
    return new HpkePublicKey(HexFormat.of().parseHex(hex));
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(raw);
  }

  public Digest fingerprint() {
    return Digest.sha256(raw);
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
