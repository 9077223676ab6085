package io.covenant.coordinator.identity;

import io.covenant.node.keystore.KeystoreSecret;
import io.covenant.node.keystore.OrgKeystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of a keystore (identity.json and each wrapped data key) is scanned for the organisation's key material
 * in every encoding the keystore ever used or might leak it in (raw bytes, hex, base64): none appears. Files are
 * owner-only. The keystore's own description and its exceptions carry no key material either.
 */
class KeystoreFilesHoldNoPlaintextKeyBytes {
  @TempDir Path dir;

  @Test
  void noKeyMaterialInAnyFileOrMessage() throws Exception {
    OrgId org = OrgId.of("hospital-a");
    Path ks = dir.resolve("orgs").resolve("hospital-a");
    OrgKeystore k = OrgKeystore.create(ks, org, Optional.of(KeystoreSecret.passphrase("scan test passphrase", "test")));
    DatasetVersion dv = DatasetVersion.parse("hospital-a/claims@1");
    var wrapped = k.kek().wrap(DataKey.generate(), "test-context");
    k.storeWrappedKey(dv, wrapped);

    List<byte[]> secrets = List.of(
        k.credentials().signingKey().seedForKeystore(), k.credentials().encryptionKeys().privateForKeystore(), k.kek().exportForKeystore(),
        wrapped.base64().getBytes(StandardCharsets.US_ASCII));
    List<byte[]> needles = new ArrayList<>();
    for (byte[] s : secrets) {
      needles.add(s);
      needles.add(HexFormat.of().formatHex(s).getBytes(StandardCharsets.US_ASCII));
      needles.add(Base64.getEncoder().encodeToString(s).getBytes(StandardCharsets.US_ASCII));
    }
    List<Path> files;
    try (Stream<Path> w = Files.walk(ks)) {
      files = w.filter(Files::isRegularFile).toList();
    }
    assertEquals(2, files.size(), "identity.json and one data key: " + files);
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      for (byte[] n : needles) assertFalse(contains(content, n), f + " holds key material in the clear");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
    }
    // The stored key still opens, and the keystore's text forms show nothing.
    assertEquals(wrapped.base64(), k.wrappedKey(dv).orElseThrow().base64());
    String shown = k + " " + k.credentials() + " " + KeystoreSecret.passphrase("scan test passphrase", "test");
    for (byte[] s : secrets) assertFalse(shown.contains(HexFormat.of().formatHex(s)), shown);
    assertFalse(shown.contains("scan test passphrase"), shown);
    assertTrue(new String(Files.readAllBytes(ks.resolve("identity.json")), StandardCharsets.UTF_8).contains("argon2id"));
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}
