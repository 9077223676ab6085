package io.covenant.core;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.id.DatasetId;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SubjectDigestsAreKeyed {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void hmacMatchesRfc4231TestCase2() throws Exception {
    // RFC 4231 test case 2 (key "Jefe"), through the same JDK primitive SubjectKey uses; our key is 32 bytes, so pad
    // the check to the HMAC definition rather than the vector's key length.
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("Jefe".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        HEX.formatHex(mac.doFinal("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void hkdfDerivationMatchesRfc5869Construction() throws Exception {
    // HKDF-SHA256 with no salt = HMAC(zeros, ikm) then T(1) = HMAC(PRK, info || 0x01): recomputed independently.
    byte[] kek = new byte[32];
    for (int i = 0; i < 32; i++) kek[i] = (byte) i;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
    byte[] prk = mac.doFinal(kek);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update("covenant/subject-key/v1/hospital-a/claims".getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 1);
    byte[] expected = mac.doFinal();
    SubjectKey derived = KeyEncryptionKey.fromBytes(kek).subjectKey(DatasetId.parse("hospital-a/claims"));
    assertArrayEquals(expected, derived.exportForSealing());
  }

  @Test
  void digestsDependOnTheKeyAndTheDataset() {
    KeyEncryptionKey kek = KeyEncryptionKey.generate();
    String a = kek.subjectKey(DatasetId.parse("hospital-a/claims")).digest("P00000000002a");
    assertEquals(a, kek.subjectKey(DatasetId.parse("hospital-a/claims")).digest("P00000000002a"));
    assertNotEquals(a, kek.subjectKey(DatasetId.parse("hospital-a/visits")).digest("P00000000002a"));
    assertNotEquals(a, KeyEncryptionKey.generate().subjectKey(DatasetId.parse("hospital-a/claims")).digest("P00000000002a"));
    assertTrue(a.matches("[0-9a-f]{64}"));
    assertEquals("SubjectKey[redacted]", kek.subjectKey(DatasetId.parse("hospital-a/claims")).toString());
  }
}
