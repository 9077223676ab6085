package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest: what goes on the ledger instead of data. Immutable. */
public final class Digest {
  private static final HexFormat HEX = HexFormat.of();
  private final byte[] bytes;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Digest sha256(byte[] data) {
    return new Digest(newSha256().digest(data));
  }

  public static Digest sha256(byte[] data, int off, int len) {
    MessageDigest md = newSha256();
    md.update(data, off, len);
    return new Digest(md.digest());
  }

  /** Wraps 32 bytes that already are a SHA-256 digest. */
  public static Digest of(byte[] digest) {
    if (digest == null || digest.length != 32) throw new MalformedInputException("a SHA-256 digest has 32 bytes");
    return new Digest(digest.clone());
  }

  public static Digest parse(String hex) {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new MalformedInputException("digest '" + hex + "' is not 64 lower-case hex digits");
    }
    return new Digest(HEX.parseHex(hex));
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HEX.formatHex(bytes);
  }

  /** First 12 hex digits, for tables. */
  public String shortForm() {
    return hex().substring(0, 12);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && MessageDigest.isEqual(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
