package io.covenant.node.keystore;

import io.covenant.core.crypto.Argon2id;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.WrappedKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import java.util.Optional;

/**
 * One organisation's private keys on its own disk: its signing key, its HPKE key, its key-encryption key, and the
 * wrapped data keys of the datasets it owns. In a real deployment this folder lives on the organisation's own host;
 * the coordinator never opens it.
 *
 * <p>Encrypted at rest (format 2): {@code identity.json} holds the Argon2id parameters and salt ({@link Argon2id}) and
 * the keys sealed with AES-256-GCM under the key derived from the organisation's {@link KeystoreSecret}; each wrapped
 * data key under {@code data-keys/} is sealed the same way. Files are owner-only (0600) and written atomically. A
 * keystore in the plaintext format 1 (before encryption) is migrated when it is opened: re-written encrypted under the
 * secret given, or under a newly generated key file beside it, and its data keys re-sealed.
 */
public final class OrgKeystore {
  private static final HexFormat HEX = HexFormat.of();
  private static final String IDENTITY = "identity.json";
  private static final String FORMAT = "covenant-keystore";
  private final OrgId org;
  private final Path dir;
  private final OrgCredentials credentials;
  private final KeyEncryptionKey kek;
  private final KeystoreCipher cipher;

  private OrgKeystore(OrgId org, Path dir, OrgCredentials credentials, KeyEncryptionKey kek, KeystoreCipher cipher) {
    this.org = org;
    this.dir = dir;
    this.credentials = credentials;
    this.kek = kek;
    this.cipher = cipher;
  }

  /**
   * Opens the organisation's keystore under {@code dir}, creating fresh keys on first use. Only for the installation's
   * own identities (the operator, the TEE simulation key); organisations are created by {@link #create} alone, through
   * {@code LocalDeployment.createOrganisation}, so that a mistyped name never gets keys.
   */
  public static OrgKeystore openOrCreate(Path dir, OrgId org) {
    return exists(dir) ? open(dir, org) : create(dir, org);
  }

  /** As {@link #openOrCreate(Path, OrgId)}, new keys made under {@code suite}; an existing keystore keeps its own. */
  public static OrgKeystore openOrCreate(Path dir, OrgId org, CryptoSuite suite) {
    return exists(dir) ? open(dir, org) : create(dir, org, suite);
  }

  /** Whether {@code dir} holds a keystore. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(IDENTITY));
  }

  /** Opens an existing keystore with the secret found in the environment or beside it ({@link KeystoreSecret#find}). */
  public static OrgKeystore open(Path dir, OrgId org) {
    return open(dir, org, KeystoreSecret.find(org, dir, System.getenv()));
  }

  /**
   * Opens an existing keystore with {@code secret}; throws if there is none under {@code dir}, it belongs to another
   * organisation, or the secret is missing or wrong ({@link KeystoreLockedException}, naming the organisation).
   */
  public static OrgKeystore open(Path dir, OrgId org, Optional<KeystoreSecret> secret) {
    Path file = dir.resolve(IDENTITY);
    if (!Files.isRegularFile(file)) {
      throw new CovenantException("there is no keystore of " + org + " at " + dir + "; its keys live on the machine where it was created");
    }
    Json.JObject o;
    try {
      o = Json.parseObject(Files.readString(file));
    } catch (MalformedInputException e) {
      throw new CovenantException("keystore " + file + " is damaged (" + e.getMessage() + "); restore it from the organisation's backup");
    } catch (IOException e) {
      throw new CovenantException("cannot open the keystore of " + org + " at " + dir + ": " + e.getClass().getSimpleName(), e);
    }
    if (!o.has("org") || !o.string("org").equals(org.value())) {
      throw new CovenantException("keystore " + file + " belongs to " + (o.has("org") ? o.string("org") : "no organisation") + ", not " + org);
    }
    if (o.has("signingSeed")) return migrate(dir, org, o, secret);
    if (!o.has("format") || !FORMAT.equals(o.string("format")) || o.number("version") != 2) {
      throw new CovenantException("keystore " + file + " is in a format this build does not know; use the Covenant version that wrote it");
    }
    KeystoreSecret s = secret.orElseThrow(() -> new KeystoreLockedException(org, "the keystore of " + org + " at " + dir
        + " is encrypted and no passphrase or key file was given for it: set " + KeystoreSecret.passphraseVariable(org) + " or "
        + KeystoreSecret.keyFileVariable(org) + ", or put its key file back at " + KeystoreSecret.keyFileBeside(dir)));
    Json.JObject kdf = o.object("kdf");
    byte[] salt = Base64.getDecoder().decode(kdf.string("salt"));
    KeystoreCipher cipher = KeystoreCipher.derive(org, s, Argon2id.fromJson(kdf), salt);
    byte[] plain;
    try {
      plain = cipher.open(IDENTITY, o.object("sealed"));
    } catch (AEADBadTagException e) {
      throw new KeystoreLockedException(org, "the keystore of " + org + " at " + dir + " does not open with the secret from " + s.source()
          + ": the passphrase or key file is wrong, or the keystore was altered. Nothing was changed; give " + org + "'s own passphrase");
    }
    try {
      OrgKeystore ks = fromKeys(org, dir, Json.parseObject(new String(plain, StandardCharsets.UTF_8)), cipher);
      ks.resealLegacyDataKeys();
      return ks;
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static OrgKeystore fromKeys(OrgId org, Path dir, Json.JObject keys, KeystoreCipher cipher) {
    OrgCredentials c = new OrgCredentials(
        org, SigningKey.fromSeed(HEX.parseHex(keys.string("signingSeed"))), HpkeKeyPair.fromPrivate(HEX.parseHex(keys.string("hpkePrivate"))));
    // The KEK wraps data keys under the owner's suite, which its signing key carries (SM2: SM4-GCM wrapping).
    return new OrgKeystore(org, dir, c, KeyEncryptionKey.fromBytes(HEX.parseHex(keys.string("kek")), c.signingKey().suite()), cipher);
  }

  /** A format 1 (plaintext) keystore: re-written encrypted, under the secret given or a new key file beside it. */
  private static OrgKeystore migrate(Path dir, OrgId org, Json.JObject legacy, Optional<KeystoreSecret> secret) {
    KeystoreSecret s = secret.orElseGet(() -> KeystoreSecret.generateBeside(dir));
    Json.JObject keys = Json.obj("signingSeed", legacy.string("signingSeed"), "hpkePrivate", legacy.string("hpkePrivate"), "kek", legacy.string("kek"));
    KeystoreCipher cipher = write(dir, org, keys, s);
    OrgKeystore ks = fromKeys(org, dir, keys, cipher);
    ks.resealLegacyDataKeys();
    return ks;
  }

  /** Creates fresh keys for {@code org} under {@code dir}, sealed with the secret found for it or a new key file beside it. */
  public static OrgKeystore create(Path dir, OrgId org) {
    Optional<KeystoreSecret> found = exists(dir) ? Optional.empty() : KeystoreSecret.find(org, dir, System.getenv());
    return create(dir, org, found);
  }

  /**
   * Creates fresh keys for {@code org} under {@code dir}, sealed with {@code secret} (or, if empty, a new key file written
   * beside the folder); refuses if a keystore is already there (keys are never replaced).
   */
  public static OrgKeystore create(Path dir, OrgId org, Optional<KeystoreSecret> secret) {
    return create(dir, org, secret, CryptoSuite.INTL);
  }

  /** Creates fresh keys for {@code org} under {@code suite} (the consortium's), sealed with the secret found for it. */
  public static OrgKeystore create(Path dir, OrgId org, CryptoSuite suite) {
    Optional<KeystoreSecret> found = exists(dir) ? Optional.empty() : KeystoreSecret.find(org, dir, System.getenv());
    return create(dir, org, found, suite);
  }

  /**
   * As {@link #create(Path, OrgId, Optional)}, the signing and sealing keys generated under {@code suite}: Ed25519 and
   * X25519, or SM2 and SM2 (stored tagged, so {@link #open} restores either without being told the suite).
   */
  public static OrgKeystore create(Path dir, OrgId org, Optional<KeystoreSecret> secret, CryptoSuite suite) {
    Path file = dir.resolve(IDENTITY);
    if (Files.exists(file)) {
      throw new CovenantException("a keystore already exists at " + dir + "; keys are never replaced (restore or remove it by hand)");
    }
    try {
      Files.createDirectories(dir.resolve("data-keys"));
    } catch (IOException e) {
      throw new CovenantException("cannot create the keystore of " + org + " at " + dir + ": " + e.getClass().getSimpleName(), e);
    }
    KeystoreSecret s = secret.orElseGet(() -> KeystoreSecret.generateBeside(dir));
    OrgCredentials c = OrgCredentials.generate(org, suite);
    KeyEncryptionKey kek = KeyEncryptionKey.generate(suite);
    Json.JObject keys = Json.obj(
        "signingSeed", HEX.formatHex(c.signingKey().seedForKeystore()),
        "hpkePrivate", HEX.formatHex(c.encryptionKeys().privateForKeystore()),
        "kek", HEX.formatHex(kek.exportForKeystore()));
    KeystoreCipher cipher = write(dir, org, keys, s);
    return new OrgKeystore(org, dir, c, kek, cipher);
  }

  private static KeystoreCipher write(Path dir, OrgId org, Json.JObject keys, KeystoreSecret secret) {
    Argon2id cost = secret.cost();
    byte[] salt = KeystoreCipher.newSalt();
    KeystoreCipher cipher = KeystoreCipher.derive(org, secret, cost, salt);
    byte[] plain = keys.encode().getBytes(StandardCharsets.UTF_8);
    try {
      Json.JObject o = Json.obj("format", FORMAT, "version", 2L, "org", org.value(), "kdf", cost.toJson(salt), "sealed", cipher.seal(IDENTITY, plain));
      PrivateFiles.write(dir.resolve(IDENTITY), o.encode().getBytes(StandardCharsets.UTF_8));
      return cipher;
    } catch (IOException e) {
      throw new CovenantException("cannot write the keystore of " + org + " at " + dir + ": " + e.getClass().getSimpleName(), e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Removes a keystore that {@link #create} just made, when registering the organisation failed: it holds no data key
   * yet, so nothing is lost, and a retry starts clean. Refuses if any data key is stored. A key file generated for it
   * is removed too.
   */
  public static void removeUnused(Path dir) {
    try {
      Path keys = dir.resolve("data-keys");
      if (Files.isDirectory(keys)) {
        try (var s = Files.list(keys)) {
          if (s.findAny().isPresent()) throw new CovenantException("the keystore at " + dir + " holds data keys; it is not removed");
        }
        Files.delete(keys);
      }
      Files.deleteIfExists(dir.resolve(IDENTITY));
      Files.deleteIfExists(dir);
      Files.deleteIfExists(KeystoreSecret.keyFileBeside(dir));
    } catch (IOException e) {
      throw new CovenantException("cannot remove the unused keystore at " + dir + ": " + e.getMessage(), e);
    }
  }

  public OrgId org() {
    return org;
  }

  public OrgCredentials credentials() {
    return credentials;
  }

  public KeyEncryptionKey kek() {
    return kek;
  }

  public void storeWrappedKey(DatasetVersion dataset, WrappedKey key) {
    try {
      Json.JObject sealed = cipher.seal(keyFileName(dataset), key.base64().getBytes(StandardCharsets.US_ASCII));
      PrivateFiles.write(keyFile(dataset), sealed.encode().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CovenantException("cannot store the wrapped key of " + dataset + ": " + e.getMessage(), e);
    }
  }

  public Optional<WrappedKey> wrappedKey(DatasetVersion dataset) {
    Path f = keyFile(dataset);
    if (!Files.exists(f)) return Optional.empty();
    try {
      return Optional.of(WrappedKey.parse(readDataKey(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new CovenantException("cannot read the wrapped key of " + dataset + ": " + e.getMessage(), e);
    }
  }

  /** A data key file's wrapped key: sealed (format 2), or the bare base64 of format 1, which is re-sealed on open. */
  private String readDataKey(String name, String text) {
    String t = text.trim();
    if (!t.startsWith("{")) return t;
    try {
      return new String(cipher.open("data-keys/" + name, Json.parseObject(t)), StandardCharsets.US_ASCII);
    } catch (AEADBadTagException e) {
      throw new KeystoreLockedException(org, "the wrapped data key " + name + " of " + org + " does not open under its keystore's key: it was altered or "
          + "moved from another keystore; restore it from the organisation's backup");
    }
  }

  private void resealLegacyDataKeys() {
    Path keys = dir.resolve("data-keys");
    if (!Files.isDirectory(keys)) return;
    try (var files = Files.list(keys)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".key")).toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8).trim();
        if (text.startsWith("{")) continue;
        Json.JObject sealed = cipher.seal("data-keys/" + f.getFileName(), text.getBytes(StandardCharsets.US_ASCII));
        PrivateFiles.write(f, sealed.encode().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new CovenantException("cannot re-seal the data keys of " + org + " at " + keys + ": " + e.getMessage(), e);
    }
  }

  private String keyFileName(DatasetVersion dataset) {
    return "data-keys/" + keyFile(dataset).getFileName();
  }

  private Path keyFile(DatasetVersion dataset) {
    return dir.resolve("data-keys").resolve(dataset.dataset().name() + "@" + dataset.version() + ".key");
  }

  @Override
  public String toString() {
    return "OrgKeystore[" + org + "]";
  }
}
