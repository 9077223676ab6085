package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A 32-byte digest (SHA-256, or SM3 under the national suite: see {@link CryptoSuite#hash}): what goes on the ledger
 * instead of data. Immutable. The content identifiers that several modules compute independently and compare (a
 * policy's, licence's or consent's hash, a dataset's schema hash, a sealed result's or a model's hash, MPC, FL and HE
 * digests, a computation's hash, an attestation's evidence hash, a certificate's fingerprint) are all made with the
 * consortium's suite: {@code suite.hash(bytes)} or {@code suite.newHash()}; there is no suite-less form.
 */
public final class Digest {
  private static final Pattern HEX_FORM = Pattern.compile("[0-9a-f]{64}");
  private static final HexFormat HEX = HexFormat.of();
  private final byte[] bytes;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Digest sha256(byte[] data) {
    return sha256(data, 0, data.length);
  }

  public static Digest sha256(byte[] data, int off, int len) {
    return new Digest(sha256Bytes(data, off, len));
  }

  /** The SHA-256 of {@code data[off, off+len)}, as raw bytes. */
  public static byte[] sha256Bytes(byte[] data, int off, int len) {
    MessageDigest md = newSha256();
    if (len >= PIECE) Intrinsic.WARM.hashCode();
    // Large inputs go in 64 KiB pieces: one call per 1 MiB block is too rare for C2 to compile the compression loop
    // with its SHA-NI intrinsic, and the Java loop is several times slower (seen in JFR profiles of shard reads).
    for (int done = 0; done < len; done += PIECE) md.update(data, off + done, Math.min(PIECE, len - done));
    return md.digest();
  }

  private static final int PIECE = 64 * 1024;

  /** Runs once per JVM, on the first large digest: enough small digests for C2 to compile the intrinsic (~20 ms). */
  private static final class Intrinsic {
    static final Object WARM = warm();

    private static Object warm() {
      MessageDigest md = newSha256();
      byte[] b = new byte[4096];
      for (int i = 0; i < 20_000; i++) {
        md.update(b, 0, b.length);
        md.digest();
      }
      return new Object();
    }
  }

  /** Wraps 32 bytes that already are a digest (SHA-256 or SM3). */
  public static Digest of(byte[] digest) {
    if (digest == null || digest.length != 32) throw new MalformedInputException("a digest has 32 bytes");
    return new Digest(digest.clone());
  }

  public static Digest parse(String hex) {
    if (hex == null || !HEX_FORM.matcher(hex).matches()) {
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
