package io.covenant.coordinator.identity;

import io.covenant.node.keystore.KeystoreLockedException;
import io.covenant.node.keystore.KeystoreSecret;
import io.covenant.node.keystore.OrgKeystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keystore sealed under hospital-a's passphrase, opened with a wrong one: a {@link KeystoreLockedException} naming
 * hospital-a and where the passphrase came from, never the passphrase, and nothing changed on disk. Opened with no
 * secret at all, it says which variables to set.
 */
class WrongKeystorePassphraseIsAClearError {
  @TempDir Path dir;
  private final OrgId org = OrgId.of("hospital-a");

  @Test
  void aWrongPassphraseNamesTheOrganisationAndChangesNothing() throws Exception {
    Path ks = dir.resolve("orgs").resolve("hospital-a");
    // A passphrase with the key-file cost, so the test stays quick; the check is the same for both costs.
    KeystoreSecret right = KeystoreSecret.find(org, ks, Map.of(KeystoreSecret.keyFileVariable(org), writeKeyFile("correct horse battery staple"))).orElseThrow();
    OrgKeystore created = OrgKeystore.create(ks, org, Optional.of(right));
    byte[] before = Files.readAllBytes(ks.resolve("identity.json"));

    String wrongWords = "Tr0ub4dor&3-wrong";
    KeystoreSecret wrong = KeystoreSecret.passphrase(wrongWords, "environment variable " + KeystoreSecret.passphraseVariable(org));
    var e = assertThrows(KeystoreLockedException.class, () -> OrgKeystore.open(ks, org, Optional.of(wrong)));
    assertEquals(org, e.org());
    assertTrue(e.getMessage().contains("keystore of hospital-a") && e.getMessage().contains("COVENANT_KEYSTORE_PASSPHRASE_HOSPITAL_A")
        && e.getMessage().contains("wrong"), e.getMessage());
    assertFalse(e.getMessage().contains(wrongWords), "the message must not show the passphrase");
    assertArrayEquals(before, Files.readAllBytes(ks.resolve("identity.json")), "a failed open changes nothing");

    OrgKeystore reopened = OrgKeystore.open(ks, org, Optional.of(right));
    assertEquals(created.credentials().signingKey().verifyingKey(), reopened.credentials().signingKey().verifyingKey());
  }

  @Test
  void noSecretAtAllSaysWhatToSet() {
    Path ks = dir.resolve("orgs").resolve("hospital-a");
    OrgKeystore.create(ks, org, Optional.of(KeystoreSecret.passphrase("pass phrase for a test", "test")));
    var e = assertThrows(KeystoreLockedException.class, () -> OrgKeystore.open(ks, org, Optional.empty()));
    assertTrue(e.getMessage().contains("COVENANT_KEYSTORE_PASSPHRASE_HOSPITAL_A") && e.getMessage().contains("COVENANT_KEYSTORE_KEY_FILE_HOSPITAL_A"),
        e.getMessage());
  }

  @Test
  void fromTheCliItIsOneLineWithoutAStackTrace() throws Exception {
    Path data = dir.resolve("data");
    var created = io.covenant.coordinator.cli.CovenantCli.executeCaptured("org", "create", "hospital-a", "--role", "owner", "--data-dir", data.toString());
    assertEquals(0, created.exit(), created.err());
    Path keyFile = KeystoreSecret.keyFileBeside(data.resolve("orgs").resolve("hospital-a"));
    Files.writeString(keyFile, "00".repeat(32) + "\n"); // the wrong key file
    Path csv = dir.resolve("claims.csv");
    Files.writeString(csv, "age,cost\n40,10.5\n");
    var run = io.covenant.coordinator.cli.CovenantCli.executeCaptured("dataset", "publish", csv.toString(), "--owner", "hospital-a", "--data-dir", data.toString());
    assertEquals(1, run.exit());
    assertTrue(run.err().startsWith("covenant: the keystore of hospital-a") && run.err().contains("wrong"), run.err());
    assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), "no stack trace: " + run.err());
    assertFalse(run.err().contains("00".repeat(32)), run.err());
  }

  private String writeKeyFile(String content) throws Exception {
    Path f = dir.resolve("hospital-a.secret");
    Files.writeString(f, content);
    return f.toString();
  }
}
