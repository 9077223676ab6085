package io.covenant.core;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.crypto.WrappedKey;
import io.covenant.core.error.IntegrityException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SealingBindsKeyAndContext {
  private static final byte[] INFO = "covenant/test/v1".getBytes(StandardCharsets.UTF_8);

  @Test
  void hpkeRoundTripsForTheRecipientOnly() {
    HpkeKeyPair alice = HpkeKeyPair.generate();
    HpkeKeyPair mallory = HpkeKeyPair.generate();
    byte[] msg = "aggregate result".getBytes(StandardCharsets.UTF_8);
    SealedMessage sealed = HpkeKeyPair.seal(alice.publicKey(), INFO, "job-1".getBytes(), msg);
    assertArrayEquals(msg, alice.open(SealedMessage.fromBytes(sealed.toBytes()), INFO, "job-1".getBytes()));
    assertThrows(IntegrityException.class, () -> mallory.open(sealed, INFO, "job-1".getBytes()));
    assertThrows(IntegrityException.class, () -> alice.open(sealed, INFO, "job-2".getBytes()));
    assertThrows(IntegrityException.class, () -> alice.open(sealed, "other".getBytes(), "job-1".getBytes()));
  }

  @Test
  void hpkeKeyPairRestoresFromItsKeystoreForm() {
    HpkeKeyPair a = HpkeKeyPair.generate();
    HpkeKeyPair b = HpkeKeyPair.fromPrivate(a.privateForKeystore());
    assertEquals(a.publicKey(), b.publicKey());
    SealedMessage s = HpkeKeyPair.seal(a.publicKey(), INFO, new byte[0], new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, b.open(s, INFO, new byte[0]));
  }

  @Test
  void wrappedDataKeyOpensOnlyWithItsKekAndContext() {
    KeyEncryptionKey kek = KeyEncryptionKey.generate();
    DataKey key = DataKey.generate();
    WrappedKey w = kek.wrap(key, "hospital-a/claims@1");
    assertArrayEquals(key.exportForWrapping(), kek.unwrap(w, "hospital-a/claims@1").exportForWrapping());
    IntegrityException moved = assertThrows(IntegrityException.class, () -> kek.unwrap(w, "hospital-a/claims@2"));
    assertTrue(moved.getMessage().contains("hospital-a/claims@2"));
    assertThrows(IntegrityException.class, () -> KeyEncryptionKey.generate().unwrap(w, "hospital-a/claims@1"));
  }

  @Test
  void keyObjectsRedactThemselves() {
    assertEquals("DataKey[redacted]", DataKey.generate().toString());
    assertEquals("KeyEncryptionKey[redacted]", KeyEncryptionKey.generate().toString());
  }
}
