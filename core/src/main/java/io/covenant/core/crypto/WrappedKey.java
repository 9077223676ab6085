package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.util.Base64;

/** A data key encrypted under a key-encryption key: safe to store beside the data it protects. */
public record WrappedKey(byte[] bytes) {
  public WrappedKey {
    if (bytes == null || bytes.length != 12 + 32 + 16) throw new MalformedInputException("a wrapped data key has 60 bytes");
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static WrappedKey parse(String base64) {
    try {
      return new WrappedKey(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("wrapped key is not base64");
    }
  }

  @Override
  public String toString() {
    return "WrappedKey[" + bytes.length + " bytes]";
  }
}
