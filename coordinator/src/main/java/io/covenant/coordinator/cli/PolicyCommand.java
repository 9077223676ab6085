package io.covenant.coordinator.cli;

import io.covenant.coordinator.catalogue.PublishedPolicy;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.error.CovenantException;
import io.covenant.core.text.TextTable;
import io.covenant.policy.Policy;
import io.covenant.policy.PolicyDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Validate, publish, list and explain data-usage policies (see docs/policy-language.md).",
    subcommands = {PolicyInit.class, PolicyCommand.Validate.class, PolicyCommand.Publish.class, PolicyCommand.ListPolicies.class, PolicyCommand.Revoke.class, PolicyCommand.ConsentDigest.class, PolicyCommand.Explain.class})
final class PolicyCommand extends CommandGroup {

  static Policy read(Path file) {
    if (!Files.isRegularFile(file)) throw new CovenantException("no policy file at " + file);
    try {
      return Policy.parse(Files.readString(file));
    } catch (IOException e) {
      throw new CovenantException("cannot read policy file " + file + ": " + e.getMessage(), e);
    } catch (CovenantException e) {
      throw new CovenantException(file + ": " + e.getMessage(), e);
    }
  }

  /** The policy's fields, with its hash under the consortium's {@code suite} (what POLICY_PUBLISHED records). */
  static String summary(Policy p, io.covenant.core.crypto.CryptoSuite suite) {
    TextTable t = TextTable.withHeaders("field", "value").maxCellWidth(200);
    t.row("id", p.id()).row("dataset", p.dataset()).row("hash (" + suite.hashAlgorithm() + ")", p.hash(suite).hex())
        .row("assignees", p.assignees().stream().map(Object::toString).collect(Collectors.joining(", ")))
        .row("purposes", p.purposes().stream().map(Object::toString).collect(Collectors.joining(", ")))
        .row("engines", p.engines().stream().map(e -> e.wireName()).collect(Collectors.joining(", ")))
        .row("simulated TEE", p.tee().allowSimulated() ? "allowed (testing only)" : "refused")
        .row("min cohort", p.minCohort())
        .row("max uses", p.maxUses().isPresent() ? String.valueOf(p.maxUses().getAsLong()) : "unlimited")
        .row("approval", p.approval().required() ? "required" : "not required")
        .row("columns", p.columns().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().wireName()).collect(Collectors.joining(", "))
            + " (others: " + p.defaultColumnRule().wireName() + ")");
    return t.render();
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Checks a policy file and prints what it allows and its hash, with warnings about terms that would make "
          + "jobs fail here (such as a TEE policy that lists no measurement). Exits 1 naming the bad field.")
  static final class Validate implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "FILE", description = "A policy file (JSON, covenantPolicy 1).")
    Path file;

    @Override
    public Integer call() {
      Policy p = read(file);
      System.out.print(summary(p, dataDir.suite()));
      for (String warning : p.warnings()) System.out.println("warning: " + warning);
      // ---- TEE measurement warnings (MeasurementAdvice; other warnings go in their own block) ----
      for (String w : MeasurementAdvice.warnings(p)) System.out.println("warning: " + w);
      // ---- end of TEE measurement warnings ----
      System.out.println("valid");
      return 0;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Publishes a policy for one of the owner's datasets; its hash goes on the ledger (POLICY_PUBLISHED) and it becomes the dataset's current policy.")
  static final class Publish implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "FILE", description = "A policy file (JSON, covenantPolicy 1).")
    Path file;

    @Option(names = "--as", paramLabel = "ORG", description = "The publishing owner (default: the owner named in the policy's dataset).")
    String as;

    @Override
    public Integer call() throws IOException {
      Policy p = read(file);
      String owner = as != null ? as : p.dataset().owner().value();
      try (LocalDeployment d = dataDir.open()) {
        var record = d.owner(new io.covenant.core.id.OrgId(owner)).publishPolicy(Files.readString(file));
        System.out.print(summary(p, d.suite()));
        System.out.println("published " + record.policyId() + " for " + record.dataset() + " (POLICY_PUBLISHED, hash " + record.hash().shortForm() + ")");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists every policy the owners published, in publication order, with whether it is in force for its dataset, "
          + "superseded by a later one, or revoked, and the hash recorded on the ledger.")
  static final class ListPolicies implements Callable<Integer> {
    @Mixin DataDirOption dataDir;
    @Mixin ServerOption server;

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.listPolicies(server);
      try (LocalDeployment d = dataDir.open()) {
        TextTable t = listTable();
        for (PublishedPolicy p : d.store().policies()) {
          listRow(t, p.policy().policyId(), p.policy().dataset(), p.status().wireName(), p.policy().publishedAt(), p.policy().hash().hex());
        }
        System.out.print(t.size() == 0 ? "no policies published yet; write one with './covenant policy init DATASET --assignee ORG --purpose P'\n" : t.render());
      }
      return 0;
    }
  }

  /** The table 'policy list' prints, locally or from a server. */
  static TextTable listTable() {
    return TextTable.withHeaders("policy", "dataset", "status", "published (UTC)", "hash").maxCellWidth(100);
  }

  /** One policy's row; the status in words ("in-force" on the wire is "in force" here). */
  static void listRow(TextTable t, String policy, Object dataset, String status, java.time.Instant publishedAt, String hash) {
    t.row(policy, dataset, status.replace('-', ' '), TableTime.of(publishedAt), hash);
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes the policy in force for one of the owner's datasets (POLICY_REVOKED on the ledger). Nothing may be "
          + "computed on the dataset until a new policy is published; running jobs can no longer obtain its key.")
  static final class Revoke implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "DATASET", description = "The dataset whose policy is revoked: owner/name.")
    String dataset;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded on the ledger).")
    String reason;

    @Override
    public Integer call() {
      var id = io.covenant.core.id.DatasetId.parse(dataset);
      try (LocalDeployment d = dataDir.open()) {
        var revoked = d.owner(id.owner()).revokePolicy(id, reason);
        System.out.println("revoked " + revoked.policyId() + " (hash " + revoked.hash().shortForm() + ") for " + id
            + "; publish a new policy to allow computations again");
      }
      return 0;
    }
  }

  @Command(name = "consent-digest", mixinStandardHelpOptions = true,
      description = "For the dataset's owner: prints the digests of withdrawn subject ids to list in a policy's "
          + "consent.excludedSubjects (HMAC-SHA256 under the dataset's subject key, which only the owner and an attested "
          + "enclave hold). The ids themselves never go into a policy.")
  static final class ConsentDigest implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset: owner/name.")
    String dataset;

    @Parameters(index = "1..*", paramLabel = "SUBJECT", description = "Subject ids that withdrew consent.")
    java.util.List<String> subjects;

    @Override
    public Integer call() {
      var id = io.covenant.core.id.DatasetId.parse(dataset);
      try (LocalDeployment d = dataDir.open()) {
        var key = d.keystore(id.owner()).kek().subjectKey(id);
        try {
          subjects.forEach(s -> System.out.println(key.digest(s)));
        } finally {
          key.destroy();
        }
      }
      return 0;
    }
  }

  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = "Shows what each dataset's current policy would decide for a job, rule by rule, without submitting it.")
  static final class Explain implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Mixin JobFileArgument jobFile;

    @Option(names = "--cedar", description = "Also print the Cedar policies each policy's who-may-do-what terms compile to.")
    boolean cedar;

    @Override
    public Integer call() {
      JobFile job = JobFile.read(jobFile.path());
      try (LocalDeployment d = dataDir.open()) {
        d.requireOrganisation(job.consumer());
        var request = job.toRequest(d);
        var decisions = d.coordinator().explain(request);
        boolean denied = false;
        for (var e : decisions.entrySet()) {
          PolicyDecision decision = e.getValue();
          System.out.println(e.getKey() + ": " + decision.outcome() + " — " + decision.summary());
          TextTable t = TextTable.withHeaders("rule", "", "why").maxCellWidth(110);
          decision.findings().forEach(f -> t.row(f.rule(), f.passed() ? "ok" : "FAIL", f.explanation()));
          System.out.print(t.render());
          if (cedar) {
            d.store().currentPolicy(e.getKey().dataset()).ifPresent(r ->
                System.out.println("Cedar policies of " + r.policyId() + ":\n" + io.covenant.policy.PolicyEvaluator.accessRulesInCedar(Policy.parse(r.json()))));
          }
          System.out.println();
          denied |= decision.outcome() == PolicyDecision.Outcome.DENY;
        }
        if (decisions.size() < request.datasets().size()) {
          System.out.println("some datasets are not published or have no policy: the job would be denied");
          denied = true;
        }
        return denied ? 1 : 0;
      }
    }
  }
}
