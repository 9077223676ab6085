package io.covenant.coordinator.cli;

import io.covenant.coordinator.client.LocalKeys;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "The web console that './covenant serve' serves at /console/ (docs/console.md).",
      "The console signs an organisation's acts (a policy, a job, an approval) in the browser with the organisation's own key, "
          + "which the server never sees; 'console key' writes that key for the browser to load."
    },
    subcommands = {ConsoleCommand.Key.class})
final class ConsoleCommand extends CommandGroup {

  /** The fixed DER prefix of an Ed25519 private key in PKCS#8 (RFC 8410 section 7): the 32-byte seed follows it. */
  private static final byte[] ED25519_PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
  /** The same for an X25519 private key (OID 1.3.101.110): the HPKE key results are sealed to (RFC 9180). */
  private static final byte[] X25519_PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20};

  /** One PKCS#8 PEM block of a 32-byte private key behind its fixed prefix; the key's bytes are wiped after use. */
  private static String pem(byte[] prefix, byte[] key) {
    byte[] der = new byte[prefix.length + key.length];
    System.arraycopy(prefix, 0, der, 0, prefix.length);
    System.arraycopy(key, 0, der, prefix.length, key.length);
    String out = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
    java.util.Arrays.fill(key, (byte) 0);
    java.util.Arrays.fill(der, (byte) 0);
    return out;
  }

  @Command(name = "key", mixinStandardHelpOptions = true,
      description = {
        "Writes an organisation's Ed25519 signing key and its X25519 result key (HPKE) from its keystore on this machine as a PKCS#8 "
            + "PEM file (RFC 8410) that the web console loads at sign-in, readable by the file's owner only.",
        "Whoever holds the file can act for the organisation: keep it on the machine of the person who signs, load it only into "
            + "the console, and delete it when done. The console keeps it in the page's memory and never sends it anywhere."
      })
  static final class Key implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "ORG", description = "The organisation whose signing key is written.")
    String org;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write; an existing file is never overwritten.")
    Path out;

    @Override
    public Integer call() throws IOException {
      var credentials = LocalKeys.of(dataDir.path(), new OrgId(org));
      String pem = pem(ED25519_PKCS8_PREFIX, credentials.signingKey().seedForKeystore())
          + pem(X25519_PKCS8_PREFIX, credentials.encryptionKeys().privateForKeystore());
      try {
        Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException e) {
        throw new CovenantException(out + " already exists; give a new file to --out (an existing file is never overwritten)");
      } catch (UnsupportedOperationException e) {
        Files.createFile(out);
      }
      Files.writeString(out, pem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
      System.out.println("wrote " + org + "'s signing and result-opening keys (public " + credentials.signingKey().verifyingKey().shortForm() + ") to " + out
          + "; load it at the console's sign-in, and delete the file when done");
      return 0;
    }
  }
}
