package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgKeystore;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.OrgId;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "org",
    mixinStandardHelpOptions = true,
    description = "Create organisations (their keys and ORG_REGISTERED) and list the ones that exist here.",
    subcommands = {OrgCommand.Create.class, OrgCommand.ListOrgs.class})
final class OrgCommand extends CommandGroup {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {
        "Creates an organisation: fresh signing, encryption and key-encryption keys in its own keystore folder, and a "
            + "self-signed ORG_REGISTERED on the ledger. This is the only way an organisation comes to exist; every other "
            + "command refuses a name that was not created here. Creates the data directory if it is new."})
  static final class Create implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

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
      try (LocalDeployment d = dataDir.openOrCreate()) {
        AuditEvent.OrgRegistered registered = d.createOrganisation(id, name != null ? name : org, parsed);
        System.out.print(TextTable.withHeaders("organisation", "name", "role", "signing key").maxCellWidth(70)
            .row(registered.org(), registered.displayName(), registered.role(), registered.signingKey().shortForm()).render());
        System.out.println("created " + id + " (ORG_REGISTERED); its private keys are in "
            + dataDir.path().resolve("orgs").resolve(org) + " (owner-only files; back them up)");
        System.out.println(parsed.contains(OrgRole.OWNER)
            ? "next: './covenant dataset publish FILE --owner " + id + "'"
            : parsed.contains(OrgRole.CONSUMER) ? "next: find a dataset with './covenant dataset list', then write a job file and './covenant job submit FILE'"
            : "next: './covenant verify' audits the ledger");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the organisations registered on the ledger and whether their keystore is on this machine.")
  static final class ListOrgs implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Override
    public Integer call() {
      try (LocalDeployment d = dataDir.open()) {
        TextTable t = TextTable.withHeaders("organisation", "name", "role", "signing key", "keystore here");
        for (AuditEvent.OrgRegistered r : d.organisations()) {
          if (r.org().equals(LocalDeployment.OPERATOR)) continue;
          boolean here = OrgKeystore.exists(dataDir.path().resolve("orgs").resolve(r.org().value()));
          t.row(r.org(), r.displayName(), r.role(), r.signingKey().shortForm(), here ? "yes" : "no");
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
