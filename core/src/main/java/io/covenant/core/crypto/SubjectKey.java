package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * A dataset's subject key: it turns a data subject's id into an opaque digest (HMAC-SHA256, RFC 2104), so that a
 * policy can list who withdrew consent without anyone but the owner and an attested enclave learning who they are.
 * The owner derives it from its key-encryption key with HKDF-SHA256 (RFC 5869, info = "covenant/subject-key/v1/" +
 * dataset id) and releases it to the enclave sealed together with the dataset's data key. Opaque: never printed.
 */
public final class SubjectKey {
  private final byte[] raw;

  private SubjectKey(byte[] raw) {
    this.raw = raw;
  }

  static SubjectKey derive(byte[] kek, DatasetId dataset) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(kek, null, ("covenant/subject-key/v1/" + dataset).getBytes(StandardCharsets.UTF_8)));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, 32);
    return new SubjectKey(out);
  }

  /** Rebuilds a key that was released to an enclave; the caller's array is copied. */
  public static SubjectKey fromBytes(byte[] raw) {
    if (raw == null || raw.length != 32) throw new MalformedInputException("a subject key has 32 bytes");
    return new SubjectKey(raw.clone());
  }

  /** For sealing to an attested enclave only. Callers must not keep or print it. */
  public byte[] exportForSealing() {
    return raw.clone();
  }

  /** The digest a policy lists for a withdrawn subject: lower-case hex of HMAC-SHA256(key, UTF-8 id). */
  public String digest(String subjectId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(raw, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(subjectId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }

  public void destroy() {
    Arrays.fill(raw, (byte) 0);
  }

  @Override
  public String toString() {
    return "SubjectKey[redacted]";
  }
}
