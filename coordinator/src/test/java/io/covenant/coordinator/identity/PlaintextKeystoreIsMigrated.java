package io.covenant.coordinator.identity;

import io.covenant.node.keystore.KeystoreSecret;
import io.covenant.node.keystore.OrgKeystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keystore written by an earlier build (format 1: hex keys in plain JSON, bare base64 data keys) is migrated when it
 * is first opened: the same keys come back, the files are re-written sealed, and a key file is generated beside the
 * folder when no passphrase is given. The plaintext is gone from disk afterwards.
 */
class PlaintextKeystoreIsMigrated {
  @TempDir Path dir;

  @Test
  void theOldFormatIsResealedWithTheSameKeys() throws Exception {
    OrgId org = OrgId.of("hospital-a");
    Path ks = dir.resolve("orgs").resolve("hospital-a");
    Files.createDirectories(ks.resolve("data-keys"));
    SigningKey sk = SigningKey.generate();
    HpkeKeyPair hpke = HpkeKeyPair.generate();
    KeyEncryptionKey kek = KeyEncryptionKey.generate();
    HexFormat hex = HexFormat.of();
    String seedHex = hex.formatHex(sk.seedForKeystore());
    Files.writeString(ks.resolve("identity.json"), Json.obj("org", "hospital-a", "signingSeed", seedHex,
        "hpkePrivate", hex.formatHex(hpke.privateForKeystore()), "kek", hex.formatHex(kek.exportForKeystore())).encode());
    var wrapped = kek.wrap(DataKey.generate(), "ctx");
    Files.writeString(ks.resolve("data-keys").resolve("claims@1.key"), wrapped.base64());

    OrgKeystore opened = OrgKeystore.open(ks, org, Optional.empty());
    assertEquals(sk.verifyingKey(), opened.credentials().signingKey().verifyingKey());
    assertEquals(wrapped.base64(), opened.wrappedKey(DatasetVersion.parse("hospital-a/claims@1")).orElseThrow().base64());

    String identity = Files.readString(ks.resolve("identity.json"), StandardCharsets.UTF_8);
    assertFalse(identity.contains(seedHex), "the plaintext seed must be gone");
    assertTrue(identity.contains("covenant-keystore"), identity);
    assertFalse(Files.readString(ks.resolve("data-keys").resolve("claims@1.key")).contains(wrapped.base64()));
    assertTrue(Files.isRegularFile(KeystoreSecret.keyFileBeside(ks)), "a key file is generated beside the keystore");

    OrgKeystore again = OrgKeystore.open(ks, org, KeystoreSecret.find(org, ks, java.util.Map.of()));
    assertEquals(sk.verifyingKey(), again.credentials().signingKey().verifyingKey());
  }
}
