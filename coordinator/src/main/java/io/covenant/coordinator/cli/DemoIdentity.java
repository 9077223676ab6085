package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.ConsortiumCa;
import io.covenant.node.keystore.KeystoreSecret;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import java.time.Instant;
import java.util.Optional;

/**
 * The demo's consortium CA. On a new data directory the demo creates a CA (sealed under a generated key file beside its
 * folder, mode 0600, unless a passphrase is set), pins its root and enrols every organisation; on a directory that
 * already pins a root it unlocks that CA; on an older directory without a root it enrols nobody, as before. The
 * embedded demo keeps the CA, the keystores and their key files together in one data directory for convenience only.
 */
final class DemoIdentity {
  private DemoIdentity() {}

  static Optional<CertificateAuthority> prepare(DataDirOption dataDir, CaOption ca) {
    if (!LocalDeployment.exists(dataDir.path())) return Optional.of(createAndPin(dataDir.path(), ca.dir(dataDir.path())));
    return ca.forPinnedRoot(dataDir.path());
  }

  /** On a new data directory: creates (or opens) the CA in {@code dir}, pins its root in {@code dataDir} and returns it. */
  static CertificateAuthority createAndPin(java.nio.file.Path dataDir, java.nio.file.Path dir) {
    ConsortiumCa created = ConsortiumCa.exists(dir)
        ? ConsortiumCa.open(dir)
        : ConsortiumCa.init(dir, "Covenant demo consortium", KeystoreSecret.find(ConsortiumCa.ID, dir, System.getenv()), Instant.now());
    LocalDeployment.pinRoot(dataDir, new ConsortiumRoot(created.authority().root()));
    return created.authority();
  }
}
