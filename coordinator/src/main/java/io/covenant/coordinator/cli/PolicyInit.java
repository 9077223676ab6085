package io.covenant.coordinator.cli;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.text.TextTable;
import io.covenant.policy.ColumnRule;
import io.covenant.policy.Policy;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code policy init}: a starting policy for a published dataset, derived from its schema's sensitivity tags. JSON has
 * no comments and the policy parser rejects unknown fields, so the file holds only policy fields and the command
 * prints why each column got its rule; the file is a valid policy as written.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = {
      "Writes a starting policy for one of your published datasets: a rule per column from its sensitivity tag "
          + "(identifier: never; quasi-identifier: dimension, dates filter only; sensitive numbers: aggregate; public: "
          + "plain), TEE only with this installation's worker measurement, a minimum cohort of 10 and a "
          + "differential-privacy budget. It prints why each column got its rule; edit the file, then run "
          + "'./covenant policy validate FILE' and './covenant policy publish FILE'."})
final class PolicyInit implements Callable<Integer> {
  static final int MIN_COHORT = 10;
  static final BigDecimal EPSILON_PER_QUERY = new BigDecimal("0.5");
  static final BigDecimal EPSILON_TOTAL = new BigDecimal("10");

  @Mixin DataDirOption dataDir;

  @Parameters(paramLabel = "DATASET", description = "The dataset: owner/name (its latest version's schema is used).")
  String dataset;

  @Option(names = "--assignee", required = true, paramLabel = "ORG", description = "An organisation that may use the dataset (repeat for several).")
  List<String> assignees;

  @Option(names = "--purpose", required = true, paramLabel = "PURPOSE", description = "A purpose it may be used for, e.g. risk-model (repeat for several).")
  List<String> purposes;

  @Option(names = "--bound", paramLabel = "COLUMN=LOW:HIGH",
      description = "The range values of an aggregated column are clamped to under the privacy budget, e.g. claim_cost=0:200000. "
          + "Choose it from what the column can hold, not from the data. SUM and AVG of a column without one are denied.")
  Map<String, String> bounds = new LinkedHashMap<>();

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the policy (default: OWNER-NAME-policy.json here). An existing file is never overwritten.")
  Path out;

  @Override
  public Integer call() {
    try (LocalDeployment d = dataDir.open()) {
      DatasetRecord r = DatasetCommand.resolve(d, dataset);
      List<OrgId> who = new ArrayList<>();
      for (String a : assignees) {
        OrgId org = new OrgId(a);
        d.requireOrganisation(org);
        who.add(org);
      }
      Path file = out != null ? out : Path.of(r.version().owner() + "-" + r.version().dataset().name() + "-policy.json");
      if (Files.exists(file)) throw new CovenantException(file + " exists; it is not overwritten. Choose another --out");

      Map<String, ColumnRule> rules = new LinkedHashMap<>();
      TextTable why = TextTable.withHeaders("column", "type", "sensitivity", "rule", "why").maxCellWidth(90);
      for (Column c : r.schema().columns()) {
        ColumnRule rule = ruleFor(c);
        rules.put(c.name(), rule);
        why.row(c.name(), c.type().wireName(), c.sensitivity().wireName(), rule.wireName(), reason(c, rule));
      }
      Map<String, Policy.Bounds> clamp = new LinkedHashMap<>();
      for (var b : bounds.entrySet()) {
        if (!rules.containsKey(b.getKey())) {
          throw new MalformedInputException("--bound " + b.getKey() + ": " + r.version() + " has no column " + b.getKey());
        }
        String[] lh = b.getValue().split(":", -1);
        try {
          if (lh.length != 2) throw new NumberFormatException();
          clamp.put(b.getKey(), new Policy.Bounds(new BigDecimal(lh[0].strip()), new BigDecimal(lh[1].strip())));
        } catch (NumberFormatException e) {
          throw new MalformedInputException("--bound " + b.getKey() + "=" + b.getValue() + " is not a range LOW:HIGH of two numbers, e.g. 0:200000");
        }
      }
      Policy policy = new Policy(
          r.version().owner() + "-" + r.version().dataset().name().replace('_', '-') + "-policy", r.version().dataset(), who,
          purposes.stream().map(Purpose::new).toList(), List.of(Engine.TEE),
          new Policy.Tee(LocalDeployment.workerIsSimulated(), List.of(LocalDeployment.workerMeasurement())),
          Optional.empty(), Optional.empty(), MIN_COHORT, rules, ColumnRule.NEVER, new Policy.Approval(false), OptionalLong.empty(),
          List.of(), Optional.empty(), Optional.of(new Policy.PrivacyBudget(EPSILON_PER_QUERY, EPSILON_TOTAL, clamp)));
      try {
        Files.writeString(file, pretty(policy.toJson()), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
      } catch (IOException e) {
        throw new CovenantException("cannot write " + file + ": " + e.getMessage(), e);
      }
      System.out.print(why.render());
      System.out.println("wrote " + file + " (policy " + policy.id() + " for " + policy.dataset() + ", " + dataDir.suite().hashAlgorithm() + " " + policy.hash(dataDir.suite()).shortForm() + ")");
      System.out.println("  engines: tee only; tee.allowSimulated is true because this installation's worker is SIMULATED "
          + "(a production policy sets it false and lists the hardware enclave's measurement)");
      System.out.println("  minCohort " + MIN_COHORT + ": groups of fewer than " + MIN_COHORT + " records are left out of results");
      System.out.println("  privacy: each query spends epsilon " + EPSILON_PER_QUERY.toPlainString() + " of " + EPSILON_TOTAL.toPlainString()
          + "; results are noised COUNT, SUM and AVG");
      List<String> unbounded = rules.entrySet().stream()
          .filter(e -> e.getValue() == ColumnRule.AGGREGATE && !clamp.containsKey(e.getKey())).map(Map.Entry::getKey).toList();
      if (!unbounded.isEmpty()) {
        System.out.println("  no bounds for " + String.join(", ", unbounded) + ": SUM and AVG of them are denied until you add "
            + "privacy.bounds (or rerun with --bound COLUMN=LOW:HIGH)");
      }
      System.out.println("next: review the rules, then './covenant policy validate " + file + "' and './covenant policy publish " + file + "'");
    }
    return 0;
  }

  static ColumnRule ruleFor(Column c) {
    boolean number = c.type() == ColumnType.INT64 || c.type() == ColumnType.FLOAT64;
    return switch (c.sensitivity()) {
      case IDENTIFIER -> ColumnRule.NEVER;
      case QUASI_IDENTIFIER -> c.type() == ColumnType.DATE ? ColumnRule.FILTER : ColumnRule.DIMENSION;
      case SENSITIVE -> number ? ColumnRule.AGGREGATE : c.type() == ColumnType.DATE ? ColumnRule.FILTER : ColumnRule.DIMENSION;
      case PUBLIC -> ColumnRule.PLAIN;
    };
  }

  private static String reason(Column c, ColumnRule rule) {
    return switch (rule) {
      case NEVER -> "identifies a person: it is never read, in any form";
      case DIMENSION -> "may group and filter; groups under the minimum cohort are left out";
      case FILTER -> "may only choose rows (e.g. a date range); never shown or grouped by";
      case AGGREGATE -> "only inside COUNT, SUM or AVG, noised under the privacy budget";
      case PLAIN -> "public: may be used anywhere";
      case JOIN -> "only as a join key";
    };
  }

  /** Indented JSON with the policy's fields in the order docs/policy-language.md lists them; nested members sorted. */
  static String pretty(Json.JObject policy) {
    List<String> order = List.of("covenantPolicy", "id", "dataset", "assignees", "purposes", "engines", "tee", "validFrom",
        "validUntil", "minCohort", "columns", "defaultColumnRule", "approval", "maxUses", "obligations", "consent", "privacy");
    StringBuilder sb = new StringBuilder("{\n");
    List<String> present = order.stream().filter(policy::has).toList();
    for (int i = 0; i < present.size(); i++) {
      sb.append("  ").append(new Json.JString(present.get(i)).encode()).append(": ");
      write(sb, policy.get(present.get(i)), "  ");
      sb.append(i + 1 < present.size() ? ",\n" : "\n");
    }
    return sb.append("}\n").toString();
  }

  private static void write(StringBuilder sb, Json v, String indent) {
    if (!(v instanceof Json.JObject o) || v.encode().length() <= 60) {
      sb.append(v.encode());
      return;
    }
    sb.append("{\n");
    var names = new ArrayList<>(o.members().keySet());
    for (int i = 0; i < names.size(); i++) {
      sb.append(indent).append("  ").append(new Json.JString(names.get(i)).encode()).append(": ");
      write(sb, o.members().get(names.get(i)), indent + "  ");
      sb.append(i + 1 < names.size() ? ",\n" : "\n");
    }
    sb.append(indent).append('}');
  }
}
