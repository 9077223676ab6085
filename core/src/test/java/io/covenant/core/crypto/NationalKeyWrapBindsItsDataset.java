package io.covenant.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.error.IntegrityException;
import org.junit.jupiter.api.Test;

/**
 * An owner's KEK under the national suite wraps data keys with SM4-GCM in the same 60-byte form: the key comes back
 * only for the dataset version it was wrapped for, and a key wrapped under one suite does not open under the other.
 */
class NationalKeyWrapBindsItsDataset {
  @Test
  void wrapsAndUnwrapsForItsContextOnly() {
    KeyEncryptionKey kek = KeyEncryptionKey.generate(CryptoSuite.SM);
    DataKey key = DataKey.generate();
    WrappedKey w = kek.wrap(key, "hospital-a/claims@1");
    assertArrayEquals(key.exportForWrapping(), KeyEncryptionKey.fromBytes(kek.exportForKeystore(), CryptoSuite.SM).unwrap(w, "hospital-a/claims@1").exportForWrapping());
    assertThrows(IntegrityException.class, () -> kek.unwrap(w, "hospital-a/claims@2"));
    assertThrows(IntegrityException.class, () -> KeyEncryptionKey.fromBytes(kek.exportForKeystore(), CryptoSuite.INTL).unwrap(w, "hospital-a/claims@1"));
  }
}
