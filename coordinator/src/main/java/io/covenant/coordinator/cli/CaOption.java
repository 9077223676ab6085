package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.ConsortiumCa;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.ledger.verify.Consortium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --ca} option of the commands that use the consortium's certificate authority. */
final class CaOption {
  @Option(names = "--ca", paramLabel = "DIR",
      description = "The consortium CA's folder (default: <data-dir>/consortium-ca). Its key unlocks with COVENANT_KEYSTORE_PASSPHRASE_CONSORTIUM_CA, "
          + "the key file named by COVENANT_KEYSTORE_KEY_FILE_CONSORTIUM_CA, or the key file consortium-ca.key beside the folder.")
  Path dir;

  Path dir(Path dataDir) {
    return dir != null ? dir : ConsortiumCa.defaultDir(dataDir);
  }

  /** The unlocked CA if {@code dataDir}'s consortium.json pins a root (enrolment needs it), else empty. */
  Optional<CertificateAuthority> forPinnedRoot(Path dataDir) {
    Path file = dataDir.resolve(LocalDeployment.CONSORTIUM_FILE);
    if (!Files.exists(file) || Consortium.read(file).root().isEmpty()) return Optional.empty();
    return Optional.of(ConsortiumCa.open(dir(dataDir)).authority());
  }
}
