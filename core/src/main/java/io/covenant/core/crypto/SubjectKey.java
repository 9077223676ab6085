package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A dataset's subject key: it turns a data subject's id into an opaque digest (HMAC over the consortium's hash, RFC
 * 2104: HMAC-SHA256 under {@code intl}, HMAC-SM3 under {@code sm}), so that a policy can list who withdrew consent
 * without anyone but the owner and an attested enclave learning who they are. The owner derives it from its
 * key-encryption key with the suite's HKDF (RFC 5869 over SHA-256 or SM3, info = "covenant/subject-key/v1/" + dataset
 * id) and releases it to the enclave sealed together with the dataset's data key; the enclave rebuilds it under the
 * suite of its own sealing key, which is the consortium's. Opaque: never printed.
 */
public final class SubjectKey {
  private final byte[] raw;
  private final CryptoSuite suite;

  private SubjectKey(byte[] raw, CryptoSuite suite) {
    this.raw = raw;
    this.suite = suite;
  }

  static SubjectKey derive(byte[] kek, DatasetId dataset, CryptoSuite suite) {
    return new SubjectKey(suite.kdf(kek, null, ("covenant/subject-key/v1/" + dataset).getBytes(StandardCharsets.UTF_8), 32), suite);
  }

  /** Rebuilds a key of a consortium under {@code suite} that was released to an enclave; the caller's array is copied. */
  public static SubjectKey fromBytes(byte[] raw, CryptoSuite suite) {
    if (raw == null || raw.length != 32) throw new MalformedInputException("a subject key has 32 bytes");
    if (suite == null) throw new MalformedInputException("a subject key needs the consortium's crypto suite");
    return new SubjectKey(raw.clone(), suite);
  }

  /** For sealing to an attested enclave only. Callers must not keep or print it. */
  public byte[] exportForSealing() {
    return raw.clone();
  }

  /** The digest a policy lists for a withdrawn subject: lower-case hex of HMAC(key, UTF-8 id) over the suite's hash. */
  public String digest(String subjectId) {
    return HexFormat.of().formatHex(suite.hmac(raw, subjectId.getBytes(StandardCharsets.UTF_8)));
  }

  public void destroy() {
    Arrays.fill(raw, (byte) 0);
  }

  @Override
  public String toString() {
    return "SubjectKey[redacted]";
  }
}
