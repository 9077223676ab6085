package io.covenant.coordinator.cli;

import io.covenant.core.crypto.Argon2id;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.ConsortiumCa;
import io.covenant.node.keystore.KeystoreSecret;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.core.text.TextTable;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = {"Runs the consortium's certificate authority, which certifies every organisation's signing key.",
        "Once a root is pinned in consortium.json, an organisation joins only with a certificate from it, and 'verify' checks every "
            + "signer's certificate against that root (see docs/operations.md)."},
    subcommands = {CaCommand.Init.class, CaCommand.Show.class, CaCommand.Revoke.class})
final class CaCommand extends CommandGroup {

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Creates the consortium's root (Ed25519, or SM2 with --suite sm; X.509 v3 CA, valid ten years), pins it in the data "
          + "directory's consortium.json and enrols the operator.",
          "The root's key fixes the consortium's crypto suite for good: every organisation's keys, signatures, the ledger's Merkle tree and "
              + "checkpoints, shard sealing and key sealing follow it.",
          "The root key is kept encrypted in the CA folder (Argon2id and AES-256-GCM) under COVENANT_KEYSTORE_PASSPHRASE_CONSORTIUM_CA, or "
              + "under a new key file written beside the folder. It must run before the first organisation is created, on a new data directory."})
  static final class Init implements Callable<Integer> {
    @Mixin DataDirOption dataDir;
    @Mixin CaOption ca;

    @Mixin SuiteOption suite;

    @Option(names = "--name", paramLabel = "TEXT", defaultValue = "Covenant consortium",
        description = "The consortium's name, written into the root certificate (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() {
      var chosen = suite.suite(); // a typo in --suite is refused before anything is created
      if (LocalDeployment.exists(dataDir.path())) {
        throw new CovenantException(dataDir.path() + " already holds a ledger whose organisations registered without certificates; a consortium "
            + "root is pinned before the first registration. Run 'ca init' with a new --data-dir");
      }
      var dir = ca.dir(dataDir.path());
      Optional<KeystoreSecret> secret = KeystoreSecret.find(ConsortiumCa.ID, dir, System.getenv());
      ConsortiumCa created = ConsortiumCa.init(dir, name, secret, Instant.now(), chosen);
      OrgCertificate root = created.authority().root();
      LocalDeployment.pinRoot(dataDir.path(), new ConsortiumRoot(root));
      try (LocalDeployment d = dataDir.openOrCreate(Optional.of(created.authority()))) {
        System.out.print(TextTable.withHeaders("consortium root", "crypto suite", "valid until", "fingerprint", "CA folder").maxCellWidth(70)
            .row(root.subjectName(), chosen.id() + " (" + chosen.signatureAlgorithm() + ", " + chosen.hashAlgorithm() + ", " + chosen.aeadAlgorithm() + ")",
                TableTime.of(root.notAfter()), root.fingerprint().shortForm() + "…", dir).render());
        System.out.println("pinned in " + d.consortiumFile() + "; the operator " + LocalDeployment.OPERATOR + " is enrolled");
        System.out.println(secret.isPresent()
            ? "the root key is sealed under the secret from " + secret.get().source()
            : "the root key is sealed under the new key file " + KeystoreSecret.keyFileBeside(dir)
                + " (mode 0600); in production the consortium keeps the CA and its key on its own machine, not the operator's");
        System.out.println("next: './covenant org enrol ORG --role owner' for each organisation");
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the consortium root pinned in the data directory's consortium.json.")
  static final class Show implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Override
    public Integer call() {
      var file = dataDir.path().resolve(LocalDeployment.CONSORTIUM_FILE);
      var root = Files.exists(file) ? io.covenant.ledger.verify.Consortium.read(file).root() : Optional.<ConsortiumRoot>empty();
      if (root.isEmpty()) {
        System.out.println("no consortium root is pinned in " + file + "; organisations register themselves (see './covenant ca init --help')");
        return 0;
      }
      OrgCertificate c = root.get().certificate();
      var suite = root.get().key().suite();
      System.out.print(TextTable.withHeaders("consortium root", "crypto suite", "valid from", "valid until", "fingerprint (" + c.suite().hashAlgorithm() + ")").maxCellWidth(70)
          .row(c.subjectName(), suite.id() + " (" + suite.signatureAlgorithm() + ")", TableTime.of(c.notBefore()), TableTime.of(c.notAfter()), c.fingerprint().hex()).render());
      System.out.print(c.pem());
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revokes an organisation's certificate from now on: the CA signs the revocation and the operator records ORG_REVOKED.",
          "Every later event signed by that organisation fails 'verify', which names the revocation entry."})
  static final class Revoke implements Callable<Integer> {
    @Mixin DataDirOption dataDir;
    @Mixin CaOption ca;

    @Parameters(paramLabel = "ORG", description = "The organisation whose certificate to revoke.")
    String org;

    @Option(names = "--reason", required = true, paramLabel = "WHY", description = "Why, recorded on the ledger, e.g. \"signing key lost\".")
    String reason;

    @Override
    public Integer call() {
      OrgId id = new OrgId(org);
      try (LocalDeployment d = dataDir.open()) {
        d.requireOrganisation(id);
        AuditEvent.OrgRevoked r = d.revokeOrganisation(id, reason, ConsortiumCa.open(ca.dir(dataDir.path())).authority());
        System.out.print(TextTable.withHeaders("organisation", "certificate", "reason").maxCellWidth(70)
            .row(r.org(), r.certificate().shortForm() + "…", r.reason()).render());
        System.out.println("revoked (ORG_REVOKED); nothing " + id + " signs from now on verifies");
      }
      return 0;
    }
  }
}
