package io.covenant.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.covenant.core.id.DatasetId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * A withdrawn data subject's digest follows the consortium's suite: HKDF-SHA256 then HMAC-SHA256 (RFC 5869, RFC 2104)
 * under {@code intl}, exactly as before, and HKDF-SM3 then HMAC-SM3 under {@code sm}, computed here independently with
 * BouncyCastle's primitives; an enclave that rebuilds the released key under the suite lists the same digests.
 */
class SubjectKeysFollowTheSuite {
  static final byte[] KEK = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  static final DatasetId DATASET = DatasetId.parse("hospital-a/claims");
  static final String SUBJECT = "patient-000042";

  @Test
  void internationalDigestsAreHmacSha256AsBefore() throws Exception {
    byte[] key = hkdf(new HKDFBytesGenerator(new SHA256Digest()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal(SUBJECT.getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, KeyEncryptionKey.fromBytes(KEK, CryptoSuite.INTL).subjectKey(DATASET).digest(SUBJECT));
  }

  @Test
  void nationalDigestsAreHmacSm3OverAnHkdfSm3Key() {
    byte[] key = hkdf(new HKDFBytesGenerator(new SM3Digest()));
    HMac mac = new HMac(new SM3Digest());
    mac.init(new KeyParameter(key));
    byte[] id = SUBJECT.getBytes(StandardCharsets.UTF_8);
    mac.update(id, 0, id.length);
    byte[] tag = new byte[32];
    mac.doFinal(tag, 0);
    SubjectKey owners = KeyEncryptionKey.fromBytes(KEK, CryptoSuite.SM).subjectKey(DATASET);
    assertEquals(HexFormat.of().formatHex(tag), owners.digest(SUBJECT));
    assertNotEquals(KeyEncryptionKey.fromBytes(KEK, CryptoSuite.INTL).subjectKey(DATASET).digest(SUBJECT), owners.digest(SUBJECT));
    // The enclave rebuilds the released bytes under the suite of its own sealing key and lists the same digests.
    assertEquals(owners.digest(SUBJECT), SubjectKey.fromBytes(owners.exportForSealing(), CryptoSuite.SM).digest(SUBJECT));
    assertNotEquals(owners.digest(SUBJECT), SubjectKey.fromBytes(owners.exportForSealing(), CryptoSuite.INTL).digest(SUBJECT));
    Arrays.fill(key, (byte) 0);
  }

  private static byte[] hkdf(HKDFBytesGenerator hkdf) {
    hkdf.init(new HKDFParameters(KEK, null, ("covenant/subject-key/v1/" + DATASET).getBytes(StandardCharsets.UTF_8)));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, 32);
    return out;
  }
}
