package io.covenant.node.keystore;

import io.covenant.core.crypto.Argon2id;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What unlocks an organisation's keystore: a passphrase, or the contents of a key file. Opaque: it never prints what it
 * holds, only where it came from ({@link #source()}), which error messages name.
 *
 * <p>Where it is looked for, in order ({@link #find}): the environment variable
 * {@code COVENANT_KEYSTORE_PASSPHRASE_<ORG>}; a key file named by {@code COVENANT_KEYSTORE_KEY_FILE_<ORG>}; the key file
 * beside the keystore folder ({@code <keystore folder>.key}), which {@link #generateBeside} writes (mode 0600) when an
 * organisation is created with neither. {@code <ORG>} is the organisation's id in upper case with '-' and '.' as '_'.
 */
public final class KeystoreSecret {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] secret;
  private final String source;
  private final boolean passphrase;

  private KeystoreSecret(byte[] secret, String source, boolean passphrase) {
    this.secret = secret;
    this.source = source;
    this.passphrase = passphrase;
  }

  /** A passphrase a person chose (its UTF-8 bytes); {@code source} says where it came from, for messages. */
  public static KeystoreSecret passphrase(String passphrase, String source) {
    if (passphrase == null || passphrase.isEmpty()) throw new CovenantException("the keystore passphrase from " + source + " is empty");
    return new KeystoreSecret(passphrase.getBytes(StandardCharsets.UTF_8), source, true);
  }

  /** The contents of a key file (surrounding white space removed). */
  public static KeystoreSecret keyFile(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) throw new CovenantException("the keystore key file " + file + " is empty");
      return new KeystoreSecret(text.getBytes(StandardCharsets.UTF_8), "key file " + file, false);
    } catch (IOException e) {
      throw new CovenantException("cannot read the keystore key file " + file + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /** The environment variable that may hold {@code org}'s passphrase. */
  public static String passphraseVariable(OrgId org) {
    return "COVENANT_KEYSTORE_PASSPHRASE_" + suffix(org);
  }

  /** The environment variable that may name {@code org}'s key file. */
  public static String keyFileVariable(OrgId org) {
    return "COVENANT_KEYSTORE_KEY_FILE_" + suffix(org);
  }

  /** The default key file of the keystore in {@code keystoreDir}: beside the folder, never inside it. */
  public static Path keyFileBeside(Path keystoreDir) {
    return keystoreDir.resolveSibling(keystoreDir.getFileName() + ".key");
  }

  /** The secret for {@code org}'s keystore in {@code keystoreDir} from {@code env}, if one is given or beside it. */
  public static Optional<KeystoreSecret> find(OrgId org, Path keystoreDir, Map<String, String> env) {
    String pass = env.get(passphraseVariable(org));
    if (pass != null) return Optional.of(passphrase(pass, "environment variable " + passphraseVariable(org)));
    String file = env.get(keyFileVariable(org));
    if (file != null) return Optional.of(keyFile(Path.of(file)));
    Path beside = keyFileBeside(keystoreDir);
    return Files.isRegularFile(beside) ? Optional.of(keyFile(beside)) : Optional.empty();
  }

  /** Writes a new key file of 256 random bits (hex) beside {@code keystoreDir}, owner-only, and returns its secret. */
  public static KeystoreSecret generateBeside(Path keystoreDir) {
    Path file = keyFileBeside(keystoreDir);
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    try {
      Files.createDirectories(file.getParent());
      PrivateFiles.write(file, (HexFormat.of().formatHex(raw) + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new CovenantException("cannot write the keystore key file " + file + ": " + e.getClass().getSimpleName(), e);
    }
    return keyFile(file);
  }

  byte[] bytes() {
    return secret;
  }

  /** Where the secret came from (never what it is). */
  public String source() {
    return source;
  }

  /** The key derivation cost fit for this kind of secret (see {@link Argon2id}). */
  public Argon2id cost() {
    return passphrase ? Argon2id.FOR_PASSPHRASE : Argon2id.FOR_KEY_FILE;
  }

  private static String suffix(OrgId org) {
    return org.value().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  @Override
  public String toString() {
    return "KeystoreSecret[" + source + ", redacted]";
  }
}
