package io.covenant.coordinator.identity;

import io.covenant.core.codec.Json;
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
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One organisation's private keys on its own disk: its signing key, its HPKE key, its key-encryption key, and the
 * wrapped data keys of the datasets it owns. In a real deployment this folder lives on the organisation's own host;
 * the coordinator never opens it. Files are owner-only (0600) and written atomically.
 */
public final class OrgKeystore {
  private static final HexFormat HEX = HexFormat.of();
  private static final String IDENTITY = "identity.json";
  private final OrgId org;
  private final Path dir;
  private final OrgCredentials credentials;
  private final KeyEncryptionKey kek;

  private OrgKeystore(OrgId org, Path dir, OrgCredentials credentials, KeyEncryptionKey kek) {
    this.org = org;
    this.dir = dir;
    this.credentials = credentials;
    this.kek = kek;
  }

  /**
   * Opens the organisation's keystore under {@code dir}, creating fresh keys on first use. Only for the installation's
   * own identities (the operator, the TEE simulation key); organisations are created by {@link #create} alone, through
   * {@code LocalDeployment.createOrganisation}, so that a mistyped name never gets keys.
   */
  public static OrgKeystore openOrCreate(Path dir, OrgId org) {
    return exists(dir) ? open(dir, org) : create(dir, org);
  }

  /** Whether {@code dir} holds a keystore. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(IDENTITY));
  }

  /** Opens an existing keystore; throws if there is none under {@code dir} or it belongs to another organisation. */
  public static OrgKeystore open(Path dir, OrgId org) {
    Path file = dir.resolve(IDENTITY);
    if (!Files.isRegularFile(file)) {
      throw new CovenantException("there is no keystore of " + org + " at " + dir + "; its keys live on the machine where it was created");
    }
    try {
      Json.JObject o;
      try {
        o = Json.parseObject(Files.readString(file));
      } catch (MalformedInputException e) {
        throw new CovenantException("keystore " + file + " is damaged (" + e.getMessage() + "); restore it from the organisation's backup");
      }
      if (!o.string("org").equals(org.value())) {
        throw new CovenantException("keystore " + file + " belongs to " + o.string("org") + ", not " + org);
      }
      OrgCredentials c = new OrgCredentials(
          org, SigningKey.fromSeed(HEX.parseHex(o.string("signingSeed"))), HpkeKeyPair.fromPrivate(HEX.parseHex(o.string("hpkePrivate"))));
      return new OrgKeystore(org, dir, c, KeyEncryptionKey.fromBytes(HEX.parseHex(o.string("kek"))));
    } catch (IOException e) {
      throw new CovenantException("cannot open the keystore of " + org + " at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Creates fresh keys for {@code org} under {@code dir}; refuses if a keystore is already there (keys are never replaced). */
  public static OrgKeystore create(Path dir, OrgId org) {
    Path file = dir.resolve(IDENTITY);
    if (Files.exists(file)) {
      throw new CovenantException("a keystore already exists at " + dir + "; keys are never replaced (restore or remove it by hand)");
    }
    try {
      Files.createDirectories(dir.resolve("data-keys"));
      OrgCredentials c = OrgCredentials.generate(org);
      KeyEncryptionKey kek = KeyEncryptionKey.generate();
      Json.JObject o = Json.obj(
          "org", org.value(),
          "signingSeed", HEX.formatHex(c.signingKey().seedForKeystore()),
          "hpkePrivate", HEX.formatHex(c.encryptionKeys().privateForKeystore()),
          "kek", HEX.formatHex(kek.exportForKeystore()));
      writePrivate(file, o.encode().getBytes(StandardCharsets.UTF_8));
      return new OrgKeystore(org, dir, c, kek);
    } catch (IOException e) {
      throw new CovenantException("cannot create the keystore of " + org + " at " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes a keystore that {@link #create} just made, when registering the organisation failed: it holds no data key
   * yet, so nothing is lost, and a retry starts clean. Refuses if any data key is stored.
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
      writePrivate(keyFile(dataset), key.base64().getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new CovenantException("cannot store the wrapped key of " + dataset + ": " + e.getMessage(), e);
    }
  }

  public Optional<WrappedKey> wrappedKey(DatasetVersion dataset) {
    Path f = keyFile(dataset);
    if (!Files.exists(f)) return Optional.empty();
    try {
      return Optional.of(WrappedKey.parse(Files.readString(f, StandardCharsets.US_ASCII).trim()));
    } catch (IOException e) {
      throw new CovenantException("cannot read the wrapped key of " + dataset + ": " + e.getMessage(), e);
    }
  }

  private Path keyFile(DatasetVersion dataset) {
    return dir.resolve("data-keys").resolve(dataset.dataset().name() + "@" + dataset.version() + ".key");
  }

  private static void writePrivate(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(content));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public String toString() {
    return "OrgKeystore[" + org + "]";
  }
}
