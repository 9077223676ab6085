package io.covenant.coordinator.vehicles;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.CovenantException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * A vehicle owner's signing key in a file of its own: JSON {@code {"vin": ..., "ownerKeySeed": <32-byte Ed25519 seed in
 * hex>}}, readable and writable by the file's owner only (0600). In practice the owner's app holds it; the CLI's
 * {@code owner key new} makes one, and {@code owner consent} and {@code owner withdraw} sign with it.
 */
public final class OwnerKeyFile {
  private OwnerKeyFile() {}

  /** An owner's key as read from its file, with the VIN it was made for. */
  public record Loaded(String vin, SigningKey key) {}

  /**
   * Makes a new Ed25519 key (RFC 8032) for {@code vin} and writes it to {@code file}, created owner-only and never over
   * an existing file (the key in it may be the only copy of another vehicle's key).
   */
  public static SigningKey create(Path file, String vin) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new CovenantException("the folder of " + file + " does not exist; create it first or write the key elsewhere; no key was made");
    }
    if (Files.exists(file)) throw new CovenantException(file + " exists already; a key file is never overwritten (it may hold the only copy of a key). Choose another file");
    SigningKey key = SigningKey.generate();
    byte[] seed = key.seedForKeystore();
    byte[] text = Json.obj("vin", vin, "ownerKeySeed", HexFormat.of().formatHex(seed)).encode().getBytes(StandardCharsets.UTF_8);
    java.util.Arrays.fill(seed, (byte) 0);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new CovenantException(file + " exists already; a key file is never overwritten. Choose another file", e);
    } catch (IOException e) {
      throw new CovenantException("cannot create the key file " + file + ": " + e.getMessage(), e);
    }
    try {
      Files.write(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the message below names the file
      }
      throw new CovenantException("cannot write the key file " + file + ": " + e.getMessage() + "; nothing was kept", e);
    } finally {
      java.util.Arrays.fill(text, (byte) 0);
    }
    return key;
  }

  /** Reads the owner's key from {@code file}; refuses one made for another vehicle than {@code vin}. */
  public static Loaded read(Path file, String vin) {
    if (file == null || !Files.isRegularFile(file)) {
      throw new CovenantException("no owner key file at " + file + "; make one with './covenant owner key new --vehicle VIN --out FILE'");
    }
    Json.JObject o;
    byte[] seed;
    try {
      o = Json.parseObject(Files.readString(file));
      seed = HexFormat.of().parseHex(o.string("ownerKeySeed"));
    } catch (IOException e) {
      throw new CovenantException("cannot read the owner key file " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CovenantException("the owner key file " + file + " holds no owner key: it must be JSON with 'ownerKeySeed', 32 bytes in hex");
    }
    if (seed.length != 32) throw new CovenantException("the owner key file " + file + " holds no owner key: 'ownerKeySeed' must be 32 bytes in hex");
    String forVin = o.has("vin") ? o.string("vin") : vin;
    if (!forVin.equals(vin)) throw new CovenantException("the key in " + file + " was made for vehicle " + forVin + ", not " + vin + "; nothing was signed");
    try {
      return new Loaded(forVin, SigningKey.fromSeed(seed));
    } finally {
      java.util.Arrays.fill(seed, (byte) 0);
    }
  }
}
