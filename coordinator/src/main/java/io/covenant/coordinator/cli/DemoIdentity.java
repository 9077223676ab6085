package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.ConsortiumCa;
import io.covenant.node.keystore.KeystoreSecret;
import io.covenant.core.crypto.CryptoSuite;
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
    return prepare(dataDir, ca, CryptoSuite.INTL);
  }

  /**
   * As above, a new CA made under {@code suite}. On a directory that already pins a root, a different suite is refused:
   * a consortium's suite is fixed when its root is made.
   */
  static Optional<CertificateAuthority> prepare(DataDirOption dataDir, CaOption ca, CryptoSuite suite) {
    if (!LocalDeployment.exists(dataDir.path())) return Optional.of(createAndPin(dataDir.path(), ca.dir(dataDir.path()), suite));
    Optional<CertificateAuthority> pinned = ca.forPinnedRoot(dataDir.path());
    CryptoSuite existing = pinned.map(CertificateAuthority::suite).orElse(CryptoSuite.INTL);
    if (existing != suite) {
      throw new io.covenant.core.error.CovenantException(dataDir.path() + " holds a consortium on the " + existing.id() + " crypto suite; a consortium's suite "
          + "is fixed when its root is made. Run with --suite " + existing.id() + ", or use a new --data-dir for --suite " + suite.id());
    }
    return pinned;
  }

  /** On a new data directory: creates (or opens) the CA in {@code dir}, pins its root in {@code dataDir} and returns it. */
  static CertificateAuthority createAndPin(java.nio.file.Path dataDir, java.nio.file.Path dir) {
    return createAndPin(dataDir, dir, CryptoSuite.INTL);
  }

  static CertificateAuthority createAndPin(java.nio.file.Path dataDir, java.nio.file.Path dir, CryptoSuite suite) {
    ConsortiumCa created = ConsortiumCa.exists(dir)
        ? ConsortiumCa.open(dir)
        : ConsortiumCa.init(dir, "Covenant demo consortium", KeystoreSecret.find(ConsortiumCa.ID, dir, System.getenv()), Instant.now(), suite);
    if (created.authority().suite() != suite) {
      throw new io.covenant.core.error.CovenantException("the consortium CA at " + dir + " has a " + created.authority().suite().id() + " root, not "
          + suite.id() + "; a consortium's suite is fixed when its root is made: use another --ca folder or --suite " + created.authority().suite().id());
    }
    LocalDeployment.pinRoot(dataDir, new ConsortiumRoot(created.authority().root()));
    return created.authority();
  }
}
