package io.covenant.coordinator.identity;

import io.covenant.core.crypto.Argon2id;
import io.covenant.node.keystore.KeystoreCipher;
import io.covenant.node.keystore.KeystoreLockedException;
import io.covenant.node.keystore.KeystoreSecret;
import io.covenant.node.keystore.PrivateFiles;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.OrgCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.AEADBadTagException;

/**
 * The consortium's certificate authority on disk: its root certificate ({@code root.pem}, public) and its root key
 * sealed like an organisation's keystore ({@code ca.json}: Argon2id over the CA's passphrase or key file, then
 * AES-256-GCM; 0600, written atomically). By default it lives in {@code <data-dir>/consortium-ca/} so that the embedded
 * deployment runs from one folder; in production the consortium keeps it on its own (preferably offline) machine and
 * the operator never holds it. Its secret is found like a keystore's ({@link KeystoreSecret}) under the name
 * {@value #NAME}: {@code COVENANT_KEYSTORE_PASSPHRASE_CONSORTIUM_CA}, {@code COVENANT_KEYSTORE_KEY_FILE_CONSORTIUM_CA},
 * or the key file {@code consortium-ca.key} beside the folder.
 */
public final class ConsortiumCa {
  public static final String NAME = "consortium-ca";
  public static final OrgId ID = OrgId.of(NAME);
  private static final String FILE = "ca.json";
  private static final String FORMAT = "covenant-ca";

  private final Path dir;
  private final CertificateAuthority authority;

  private ConsortiumCa(Path dir, CertificateAuthority authority) {
    this.dir = dir;
    this.authority = authority;
  }

  /** Where the CA lives by default for the data directory {@code dataDir}. */
  public static Path defaultDir(Path dataDir) {
    return dataDir.resolve(NAME);
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  /**
   * Makes a new root for {@code consortiumName} in {@code dir}, sealed under {@code secret} (or a new key file beside
   * the folder). Refuses if a CA is already there: a root is never replaced.
   */
  public static ConsortiumCa init(Path dir, String consortiumName, Optional<KeystoreSecret> secret, Instant now) {
    return init(dir, consortiumName, secret, now, io.covenant.core.crypto.CryptoSuite.INTL);
  }

  /**
   * As {@link #init(Path, String, Optional, Instant)}, with a root key of {@code suite}: the consortium's crypto suite
   * for good (an SM2 root makes a national-suite consortium).
   */
  public static ConsortiumCa init(Path dir, String consortiumName, Optional<KeystoreSecret> secret, Instant now, io.covenant.core.crypto.CryptoSuite suite) {
    if (exists(dir)) throw new CovenantException("a consortium CA already exists at " + dir + "; a root is never replaced");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CovenantException("cannot create the CA folder " + dir + ": " + e.getClass().getSimpleName(), e);
    }
    CertificateAuthority ca = CertificateAuthority.create(consortiumName, now, CertificateAuthority.ROOT_VALIDITY, suite);
    KeystoreSecret s = secret.orElseGet(() -> KeystoreSecret.generateBeside(dir));
    Argon2id cost = s.cost();
    byte[] salt = KeystoreCipher.newSalt();
    KeystoreCipher cipher = KeystoreCipher.derive(ID, s, cost, salt);
    byte[] seed = HexFormat.of().formatHex(ca.rootKeySeedForStore()).getBytes(StandardCharsets.US_ASCII);
    try {
      Json.JObject o = Json.obj("format", FORMAT, "version", 1L, "root", ca.root().base64(), "kdf", cost.toJson(salt), "sealed", cipher.seal(FILE, seed));
      PrivateFiles.write(dir.resolve(FILE), o.encode().getBytes(StandardCharsets.UTF_8));
      Files.writeString(dir.resolve("root.pem"), ca.root().pem(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new CovenantException("cannot write the consortium CA at " + dir + ": " + e.getClass().getSimpleName(), e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
    return new ConsortiumCa(dir, ca);
  }

  /** Unlocks the CA in {@code dir} with the secret found for it. */
  public static ConsortiumCa open(Path dir) {
    return open(dir, KeystoreSecret.find(ID, dir, System.getenv()));
  }

  public static ConsortiumCa open(Path dir, Optional<KeystoreSecret> secret) {
    if (!exists(dir)) {
      throw new CovenantException("there is no consortium CA at " + dir + "; create one with './covenant ca init' or pass --ca with the folder that holds it");
    }
    try {
      Json.JObject o = Json.parseObject(Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8));
      if (!FORMAT.equals(o.string("format")) || o.number("version") != 1) throw new CovenantException("the CA file in " + dir + " is in a format this build does not know");
      KeystoreSecret s = secret.orElseThrow(() -> new KeystoreLockedException(ID, "the consortium CA at " + dir + " is encrypted and no passphrase or key file was given: set "
          + KeystoreSecret.passphraseVariable(ID) + " or " + KeystoreSecret.keyFileVariable(ID) + ", or put its key file back at " + KeystoreSecret.keyFileBeside(dir)));
      Json.JObject kdf = o.object("kdf");
      KeystoreCipher cipher = KeystoreCipher.derive(ID, s, Argon2id.fromJson(kdf), Base64.getDecoder().decode(kdf.string("salt")));
      byte[] seedHex;
      try {
        seedHex = cipher.open(FILE, o.object("sealed"));
      } catch (AEADBadTagException e) {
        throw new KeystoreLockedException(ID, "the consortium CA at " + dir + " does not open with the secret from " + s.source()
            + ": the passphrase or key file is wrong, or the file was altered. Nothing was changed");
      }
      try {
        SigningKey key = SigningKey.fromSeed(HexFormat.of().parseHex(new String(seedHex, StandardCharsets.US_ASCII)));
        return new ConsortiumCa(dir, CertificateAuthority.restore(key, OrgCertificate.parse(o.string("root"))));
      } finally {
        Arrays.fill(seedHex, (byte) 0);
      }
    } catch (IOException e) {
      throw new CovenantException("cannot read the consortium CA at " + dir + ": " + e.getClass().getSimpleName(), e);
    } catch (MalformedInputException e) {
      throw new CovenantException("the consortium CA at " + dir + " is damaged (" + e.getMessage() + "); restore it from the consortium's backup");
    }
  }

  public CertificateAuthority authority() {
    return authority;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public String toString() {
    return "ConsortiumCa[" + dir + "]";
  }
}
