package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.node.keystore.OrgKeystore;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.OrgId;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import io.covenant.node.keystore.KeystoreSecret;
import io.covenant.core.error.CovenantException;
import io.covenant.core.identity.CertificateAuthority;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "org",
    mixinStandardHelpOptions = true,
    description = "Create or enrol organisations (their keys, certificate and ORG_REGISTERED) and list the ones that exist here.",
    subcommands = {OrgCommand.Create.class, OrgCommand.Enrol.class, OrgCommand.ListOrgs.class})
final class OrgCommand extends CommandGroup {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {
        "Creates an organisation: fresh signing, encryption and key-encryption keys in its own encrypted keystore folder, and a "
            + "self-signed ORG_REGISTERED on the ledger. This is the only way an organisation comes to exist; every other "
            + "command refuses a name that was not created here. Creates the data directory if it is new.",
        "Where consortium.json pins a consortium root ('ca init'), it enrols: the consortium's CA certifies the new key and "
            + "ORG_REGISTERED carries the certificate. The keystore is sealed under COVENANT_KEYSTORE_PASSPHRASE_<ORG> (ORG in upper "
            + "case, '-' as '_'), the key file named by COVENANT_KEYSTORE_KEY_FILE_<ORG>, or else a new key file orgs/<org>.key beside it."})
  static class Create implements Callable<Integer> {
    @Mixin DataDirOption dataDir;
    @Mixin CaOption ca;

    @Parameters(paramLabel = "ORG", description = "The organisation's id: 1-63 lower-case letters, digits or '-', e.g. hospital-a.")
    String org;

    @Option(names = "--role", required = true, paramLabel = "ROLE", split = ",",
        description = "What it does: owner (publishes datasets and policies), consumer (submits jobs), auditor (verifies "
            + "the ledger). Repeat the option or separate roles with ',' for several. Roles describe; what an organisation "
            + "may do with a dataset is decided by the dataset's policy.")
    List<String> roles;

    @Option(names = "--name", paramLabel = "TEXT", description = "A display name for people, e.g. \"St. Anne's Hospital\" (default: the id).")
    String name;

    @Override
    public Integer call() {
      OrgId id = new OrgId(org);
      EnumSet<OrgRole> parsed = EnumSet.noneOf(OrgRole.class);
      for (String r : roles) parsed.add(OrgRole.parse(r));
      Optional<CertificateAuthority> authority = ca.forPinnedRoot(dataDir.path());
      if (requireRoot() && authority.isEmpty()) {
        throw new CovenantException("no consortium root is pinned in " + dataDir.path().resolve(LocalDeployment.CONSORTIUM_FILE)
            + "; run './covenant ca init' on a new data directory first, or use 'org create' to register without a certificate");
      }
      try (LocalDeployment d = dataDir.openOrCreate(authority)) {
        AuditEvent.OrgRegistered registered = d.createOrganisation(id, name != null ? name : org, parsed, authority);
        TextTable t = TextTable.withHeaders("organisation", "name", "role", "signing key", "certificate").maxCellWidth(70);
        t.row(registered.org(), registered.displayName(), registered.role(), registered.signingKey().shortForm(),
            registered.certificate().map(c -> "by " + c.issuerName() + " until " + TableTime.of(c.notAfter())).orElse("none (self-registered)"));
        System.out.print(t.render());
        Path keys = dataDir.path().resolve("orgs").resolve(org);
        System.out.println((registered.certificate().isPresent() ? "enrolled " : "created ") + id + " (ORG_REGISTERED); its private keys are in "
            + keys + " (encrypted, owner-only files; back them up)");
        if (System.getenv(KeystoreSecret.passphraseVariable(id)) == null && System.getenv(KeystoreSecret.keyFileVariable(id)) == null) {
          System.out.println("its keystore key file is " + KeystoreSecret.keyFileBeside(keys)
              + "; move it off this disk (and set " + KeystoreSecret.keyFileVariable(id) + ") for the encryption to protect anything");
        }
        System.out.println(parsed.contains(OrgRole.OWNER)
            ? "next: './covenant dataset publish FILE --owner " + id + "'"
            : parsed.contains(OrgRole.CONSUMER) ? "next: find a dataset with './covenant dataset list', then write a job file and './covenant job submit FILE'"
            : "next: './covenant verify' audits the ledger");
      }
      return 0;
    }

    /** Whether this command refuses to run without a pinned root. */
    boolean requireRoot() {
      return false;
    }
  }

  @Command(name = "enrol", mixinStandardHelpOptions = true,
      description = {
        "Enrols an organisation with the consortium's certificate authority: fresh keys in its own encrypted keystore, an X.509 "
            + "certificate for its signing key (CN=ORG, its roles, two years) and ORG_REGISTERED carrying it.",
        "It needs a root pinned by './covenant ca init' and the CA's secret; otherwise it is 'org create'."})
  static final class Enrol extends Create {
    @Override
    boolean requireRoot() {
      return true;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the organisations registered on the ledger and whether their keystore is on this machine.")
  static final class ListOrgs implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Override
    public Integer call() {
      try (LocalDeployment d = dataDir.open()) {
        TextTable t = TextTable.withHeaders("organisation", "name", "role", "signing key", "certificate", "keystore here");
        for (AuditEvent.OrgRegistered r : d.organisations()) {
          if (r.org().equals(LocalDeployment.OPERATOR)) continue;
          boolean here = OrgKeystore.exists(dataDir.path().resolve("orgs").resolve(r.org().value()));
          t.row(r.org(), r.displayName(), r.role(), r.signingKey().shortForm(),
              r.certificate().map(c -> "until " + TableTime.of(c.notAfter())).orElse("none"), here ? "yes" : "no");
        }
        if (t.size() == 0) {
          System.out.println("no organisations yet; create one with './covenant org create ORG --role owner'");
        } else {
          System.out.print(t.render());
          System.out.println(Plural.of(t.size(), "organisation"));
        }
      }
      return 0;
    }
  }
}
