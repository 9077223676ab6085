package io.covenant.coordinator.identity;

import io.covenant.core.crypto.Argon2id;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The keystore's key derivation ({@link Argon2id}, BouncyCastle's generator as the keystore calls it) reproduces the
 * Argon2id test vector of RFC 9106 section 5.3: version 0x13, 32 KiB, 3 passes, 4 lanes, a 32-byte tag over password
 * 0x01*32, salt 0x02*16, secret 0x03*8 and associated data 0x04*12.
 */
class Argon2idMatchesRfc9106 {
  private static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void section53TestVector() {
    byte[] tag = new Argon2id(3, 32, 4).derive(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4), 32);
    assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", HexFormat.of().formatHex(tag));
  }

  @Test
  void theKeystoreCostsAreRecordedAsRfc9106AndTheKeyFileCost() {
    assertEquals(new Argon2id(3, 65536, 4), Argon2id.FOR_PASSPHRASE);
    assertEquals(new Argon2id(1, 8192, 1), Argon2id.FOR_KEY_FILE);
  }
}
