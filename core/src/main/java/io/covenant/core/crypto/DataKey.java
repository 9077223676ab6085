package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AES-256 key that encrypts one dataset version's shards. A fresh key is generated for every version, which is
 * what lets the shard cipher use deterministic per-shard nonces safely. Opaque: never printed, never logged.
 */
public final class DataKey {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] raw;

  private DataKey(byte[] raw) {
    this.raw = raw;
  }

  public static DataKey generate() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return new DataKey(k);
  }

  /** Rebuilds a key that was unwrapped or released; the caller's array is copied. */
  public static DataKey fromBytes(byte[] raw) {
    if (raw == null || raw.length != 32) throw new MalformedInputException("a data key has 32 bytes");
    return new DataKey(raw.clone());
  }

  public SecretKey secretKey() {
    return new SecretKeySpec(raw, "AES");
  }

  /** The raw key, for wrapping to a recipient (key wrap or HPKE). Callers must not keep or print it. */
  public byte[] exportForWrapping() {
    return raw.clone();
  }

  /** Overwrites the key material; the key is unusable afterwards. */
  public void destroy() {
    Arrays.fill(raw, (byte) 0);
  }

  @Override
  public String toString() {
    return "DataKey[redacted]";
  }
}
