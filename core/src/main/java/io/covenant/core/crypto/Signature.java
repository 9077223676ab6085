package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A 64-byte signature: Ed25519 (RFC 8032), or SM2 as r || s (GB/T 32918.2, GM/T 0009 §7.3 plain form). */
public final class Signature {
  private static final Pattern HEX_FORM = Pattern.compile("[0-9a-f]{128}");
  private final byte[] bytes;

  private Signature(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Signature of(byte[] bytes) {
    if (bytes == null || bytes.length != 64) throw new MalformedInputException("a signature has 64 bytes");
    return new Signature(bytes.clone());
  }

  public static Signature parse(String hex) {
    if (hex == null || !HEX_FORM.matcher(hex).matches()) throw new MalformedInputException("signature is not 128 hex digits");
    return new Signature(HexFormat.of().parseHex(hex));
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature s && Arrays.equals(bytes, s.bytes);
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
