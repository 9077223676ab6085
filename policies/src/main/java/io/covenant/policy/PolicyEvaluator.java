package io.covenant.policy;

import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.policy.PolicyDecision.Finding;
import io.covenant.policy.PolicyDecision.Outcome;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a policy allows one usage request, and explains every rule it checked. Pure: no I/O, no clock (the
 * request carries the time), no state; usage counts and spent privacy budget come in as a {@link UsageHistory}.
 */
public final class PolicyEvaluator {
  private static final Set<Place> NEEDS_GROUPING = EnumSet.of(Place.SELECT, Place.HAVING, Place.ORDER_BY);

  public PolicyDecision evaluate(Policy policy, UsageRequest request) {
    return evaluate(policy, request, UsageHistory.NONE);
  }

  /** As {@link #evaluate(Policy, UsageRequest)}, counting {@code history} against maxUses and the privacy budget. */
  public PolicyDecision evaluate(Policy policy, UsageRequest request, UsageHistory history) {
    List<Finding> findings = new ArrayList<>();
    findings.add(dataset(policy, request));
    findings.add(assignee(policy, request.consumer()));
    findings.add(purpose(policy, request.purpose()));
    findings.add(engine(policy, request.engine()));
    findings.add(validity(policy, request));
    findings.addAll(computation(policy, request));
    policy.consent().ifPresent(c -> findings.add(consent(c, request)));
    policy.privacy().ifPresent(p -> findings.add(privacy(p, history)));
    policy.maxUses().ifPresent(max -> findings.add(maxUses(max, history)));
    if (!policy.obligations().isEmpty()) {
      findings.add(new Finding("obligations", true,
          "by using the data " + request.consumer() + " takes on these duties: " + String.join(", ", policy.obligations())));
    }
    boolean failed = findings.stream().anyMatch(f -> !f.passed());
    if (policy.approval().required()) {
      findings.add(new Finding("approval", true, "the policy asks the owner to approve every use by hand"
          + (failed ? ", but this request is refused before it gets that far" : "; this request waits for that approval")));
    }
    Outcome outcome = failed ? Outcome.DENY : policy.approval().required() ? Outcome.NEEDS_APPROVAL : Outcome.PERMIT;
    return new PolicyDecision(outcome, findings);
  }

  private static Finding dataset(Policy policy, UsageRequest request) {
    return policy.dataset().equals(request.dataset().dataset())
        ? new Finding("dataset", true, "the request is for " + request.dataset() + ", which this policy governs")
        : new Finding("dataset", false, "this policy governs " + policy.dataset() + ", but the request is for " + request.dataset());
  }

  private static Finding assignee(Policy policy, OrgId consumer) {
    return policy.assignees().contains(consumer)
        ? new Finding("assignee", true, consumer + " is one of the organisations the policy allows")
        : new Finding("assignee", false, consumer + " is not one of the organisations the policy allows ("
            + policy.assignees().stream().map(OrgId::value).collect(Collectors.joining(", ")) + ")");
  }

  private static Finding purpose(Policy policy, Purpose purpose) {
    return policy.purposes().contains(purpose)
        ? new Finding("purpose", true, "the purpose " + purpose + " is allowed")
        : new Finding("purpose", false, "the purpose " + purpose + " is not allowed; the policy allows "
            + policy.purposes().stream().map(Purpose::value).collect(Collectors.joining(", ")));
  }

  private static Finding engine(Policy policy, Engine engine) {
    if (!policy.engines().contains(engine)) {
      return new Finding("engine", false, "running on the " + engine.wireName() + " engine is not allowed; the policy allows "
          + policy.engines().stream().map(Engine::wireName).collect(Collectors.joining(", ")));
    }
    if (engine == Engine.TEE && policy.tee().measurements().isEmpty()) {
      return new Finding("engine", false, "the policy allows the tee engine but lists no enclave measurement, so no enclave could receive the data key");
    }
    return new Finding("engine", true, "running on the " + engine.wireName() + " engine is allowed"
        + (engine == Engine.TEE ? " (in an enclave whose measurement the policy lists"
            + (policy.tee().allowSimulated() ? ", simulated enclaves included)" : "; simulated enclaves are refused)") : ""));
  }

  private static Finding validity(Policy policy, UsageRequest request) {
    String window = "from " + policy.validFrom().map(Object::toString).orElse("the start") + " until "
        + policy.validUntil().map(Object::toString).orElse("revoked");
    if (policy.validFrom().isPresent() && request.at().isBefore(policy.validFrom().get())) {
      return new Finding("validity", false, "the policy takes effect only at " + policy.validFrom().get() + ", after the request time " + request.at());
    }
    if (policy.validUntil().isPresent() && !request.at().isBefore(policy.validUntil().get())) {
      return new Finding("validity", false, "the policy expired at " + policy.validUntil().get() + ", before the request time " + request.at());
    }
    return new Finding("validity", true, "the request time " + request.at() + " is within the policy's validity, " + window);
  }

  private static List<Finding> computation(Policy policy, UsageRequest request) {
    return switch (request.computation()) {
      case Computation.SqlQuery q -> sql(policy, request, q.sql());
    };
  }

  private static List<Finding> sql(Policy policy, UsageRequest request, String sql) {
    QueryAnalysis analysis = QueryAnalyzer.analyze(sql, request.tableName(), request.dataset().dataset().toString(), request.schema());
    List<Finding> findings = new ArrayList<>(analysis.problems());
    if (findings.stream().anyMatch(f -> f.rule().equals("sql"))) return findings; // cannot judge columns of a query we could not read

    Map<String, List<ColumnUse>> byColumn = new LinkedHashMap<>();
    for (ColumnUse u : analysis.uses()) byColumn.computeIfAbsent(u.column(), k -> new ArrayList<>()).add(u);
    List<String> rowLevelColumns = new ArrayList<>();
    byColumn.forEach((column, uses) -> {
      ColumnRule rule = policy.ruleFor(column);
      Set<String> allowed = new LinkedHashSet<>();
      Set<String> forbidden = new LinkedHashSet<>();
      for (ColumnUse u : uses) (rule.permits(u.place()) ? allowed : forbidden).add(u.describe());
      if (analysis.aggregated() && rule != ColumnRule.PLAIN && uses.stream().noneMatch(u -> u.place() == Place.GROUP_BY)) {
        for (ColumnUse u : uses) {
          if (NEEDS_GROUPING.contains(u.place()) && rule.permits(u.place())) {
            allowed.remove(u.describe());
            forbidden.add(u.describe() + " without grouping by it, which would show one record's value");
          }
        }
      }
      if (!analysis.aggregated() && rule != ColumnRule.PLAIN) rowLevelColumns.add(column + " (" + rule.wireName() + ")");
      String declared = policy.columns().containsKey(column) ? "" : " (the policy's default rule)";
      findings.add(forbidden.isEmpty()
          ? new Finding("column:" + column, true, "column " + column + " is '" + rule.wireName() + "'" + declared
              + " and the query " + String.join(" and ", allowed))
          : new Finding("column:" + column, false, "column " + column + " is '" + rule.wireName() + "'" + declared
              + " but the query " + String.join(" and ", forbidden) + "; " + hint(rule)));
    });

    if (analysis.aggregated()) {
      findings.add(new Finding("aggregation", true, "the query returns statistics of groups, not individual records"));
      findings.add(new Finding("min-cohort", true, "the engine withholds every group of fewer than " + policy.minCohort() + " records"));
    } else if (rowLevelColumns.isEmpty()) {
      findings.add(new Finding("aggregation", true,
          "the query returns individual rows, but touches only columns the policy marks plain"));
    } else {
      findings.add(new Finding("aggregation", false,
          "the query returns individual rows (it has no GROUP BY and no aggregate) and uses " + String.join(", ", rowLevelColumns)
              + "; row-level results may only involve columns marked plain, so group the rows and aggregate"));
    }
    return findings;
  }

  private static String hint(ColumnRule rule) {
    return switch (rule) {
      case NEVER -> "such a column may not be used at all";
      case AGGREGATE -> "it may only appear inside " + String.join(", ", QueryAnalyzer.AGGREGATES.stream().sorted().toList());
      case DIMENSION -> "it may be grouped by, selected as a group key and filtered on, but not aggregated or joined on";
      case JOIN -> "it may only be used as a key in JOIN ... ON a = b";
      case FILTER -> "it may only be used to choose rows (WHERE)";
      case PLAIN -> "it may be used anywhere";
    };
  }

  private static Finding consent(Policy.Consent consent, UsageRequest request) {
    String column = consent.subjectColumn();
    if (request.schema().column(column).isEmpty()) {
      return new Finding("consent", false, "the policy's consent list is keyed by column " + column + ", which "
          + request.dataset() + " does not have, so the rows of subjects who withdrew consent could not be removed");
    }
    int n = consent.excludedSubjects().size();
    return new Finding("consent", true, n == 0
        ? "no data subject has withdrawn consent"
        : n + " data subject" + (n == 1 ? " has" : "s have") + " withdrawn consent; the engine removes rows whose " + column
            + " is one of them before computing");
  }

  private static Finding privacy(Policy.PrivacyBudget budget, UsageHistory history) {
    BigDecimal remaining = budget.epsilonTotal().subtract(history.epsilonSpent());
    if (!budget.admitsQueryAfter(history.epsilonSpent())) {
      return new Finding("privacy-budget", false, "the privacy budget is spent: " + history.epsilonSpent().toPlainString() + " of "
          + budget.epsilonTotal().toPlainString() + " used, and each query needs " + budget.epsilonPerQuery().toPlainString());
    }
    return new Finding("privacy-budget", true, "the query spends epsilon " + budget.epsilonPerQuery().toPlainString() + " of the "
        + remaining.toPlainString() + " left (of " + budget.epsilonTotal().toPlainString() + "); the engine adds noise to match");
  }

  private static Finding maxUses(long max, UsageHistory history) {
    return history.uses() < max
        ? new Finding("max-uses", true, "this is use " + (history.uses() + 1) + " of at most " + max
            + (history == UsageHistory.NONE ? " (no earlier uses were reported to the evaluator)" : ""))
        : new Finding("max-uses", false, "the policy allows " + max + " use" + (max == 1 ? "" : "s") + " and " + history.uses() + " have been made");
  }
}
