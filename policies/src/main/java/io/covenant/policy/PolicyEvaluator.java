package io.covenant.policy;

import io.covenant.core.job.Computation;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a policy allows one usage request, and explains every rule it checked. Pure: no I/O, no clock (the
 * request carries the time); usage counts and spent privacy budget come in as a {@link UsageHistory}.
 *
 * <p>Who may do what (dataset, assignee, purpose, engine, validity) is compiled to Cedar and decided by Cedar's
 * authorizer (see {@link #accessRulesInCedar(Policy)}); the data-usage rules Cedar cannot express, because they depend
 * on what the SQL does (column rules, aggregation, cohort, privacy budget and bounds, consent, usage counts), are
 * checked here. Compiled Cedar policy sets and SQL analyses are cached by content, shared by all evaluators, so an
 * instance is cheap and thread-safe.
 */
public final class PolicyEvaluator {
  /** The Cedar schema the compiled access rules and every authorization request are validated against. */
  public static final String CEDAR_SCHEMA = CedarAccess.SCHEMA_TEXT;
  /** Aggregates the engine can add noise to under a privacy budget. */
  static final Set<String> NOISED_AGGREGATES = Set.of("COUNT", "SUM", "AVG");
  /** With {@code privacy.orderStatistics}: MIN, MAX and MEDIAN too, noised at the clamped range (their global sensitivity). */
  static final Set<String> NOISED_WITH_ORDER_STATISTICS = Set.of("COUNT", "SUM", "AVG", "MIN", "MAX", "MEDIAN");
  private static final Set<Place> NEEDS_GROUPING = EnumSet.of(Place.SELECT, Place.HAVING, Place.ORDER_BY);
  private static final int ANALYSIS_CACHE_LIMIT = 65_536;
  private static final Map<AnalysisKey, QueryAnalysis> ANALYSES = new ConcurrentHashMap<>();

  private record AnalysisKey(String sql, String tableName, String datasetName, DatasetSchema schema, Set<String> jobTables) {}

  public PolicyDecision evaluate(Policy policy, UsageRequest request) {
    return evaluate(policy, request, UsageHistory.NONE);
  }

  /** As {@link #evaluate(Policy, UsageRequest)}, counting {@code history} against maxUses and the privacy budget. */
  public PolicyDecision evaluate(Policy policy, UsageRequest request, UsageHistory history) {
    List<Finding> findings = new ArrayList<>(CedarAccess.findings(policy, request));
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

  /**
   * The Cedar policy text {@code policy}'s who-may-do-what part compiles to (schema: {@link #CEDAR_SCHEMA}), each
   * statement annotated with the id that names it in findings. For {@code covenant policy explain}.
   */
  public static String accessRulesInCedar(Policy policy) {
    return CedarAccess.text(policy);
  }

  private static List<Finding> computation(Policy policy, UsageRequest request) {
    return switch (request.computation()) {
      case Computation.SqlQuery q -> sql(policy, request, q.sql());
      case Computation.ModelTraining t -> training(policy, request, t);
      case Computation.VerticalLogisticRegression v -> verticalModel(policy, request, v);
      case Computation.PrivateSetIntersection i -> intersection(policy, request, i);
      case Computation.FederatedTraining f -> federated(policy, request, f);
      case Computation.HeScore h -> heScore(policy, request, h);
      case Computation.HeAggregate h -> heAggregate(policy, request, h);
    };
  }

  /**
   * Federated training ({@code engine=fl}) trains on this dataset's rows inside its owner's node and releases only the
   * final model: like a training in the enclave, it needs a {@code training} section listing every column the model
   * learns from or predicts. Under a privacy budget it must be differentially private (a noise multiplier above 0):
   * the owner's node then accounts the epsilon the rounds spend and stops contributing before the job's share of the
   * budget (epsilonPerQuery, debited here) is exceeded. Without DP a budget refuses it, as it refuses any model.
   */
  private static List<Finding> federated(Policy policy, UsageRequest request, Computation.FederatedTraining f) {
    List<Finding> findings = new ArrayList<>();
    if (request.engine() != io.covenant.core.job.Engine.FL) {
      findings.add(new Finding("training:engine", false, "federated training runs only on the fl engine, not " + request.engine().wireName()
          + "; submit the job with engine fl"));
      return findings;
    }
    if (policy.training().isEmpty()) {
      findings.add(new Finding("training", false, "federated training is not allowed by this policy: it has no training section; the owner adds "
          + "one naming the columns a model may learn from (training.columns) and the fewest rows it may learn from (training.minRows)"));
      return findings;
    }
    Policy.Training rules = policy.training().get();
    Set<String> columns = new java.util.HashSet<>();
    for (var c : request.schema().columns()) columns.add(c.name());
    List<String> used = new ArrayList<>(f.features());
    used.add(f.label());
    for (String column : used) {
      if (!columns.contains(column)) {
        findings.add(new Finding("column:" + column, false, "the model uses column " + column + ", which " + request.dataset() + " does not have"));
      } else {
        findings.add(new Finding("column:" + column, rules.allows(column), "column " + column + (rules.allows(column)
            ? " is listed in training.columns, and the model learns from it inside the owner's node"
            : " is not listed in training.columns; a model may learn from or predict only " + String.join(", ", rules.columns()))));
      }
    }
    if (policy.privacy().isPresent()) {
      findings.add(f.differentiallyPrivate()
          ? new Finding("training:privacy", true, "the training is differentially private (DP-FedAvg, noise multiplier "
              + f.noiseMultiplier().toPlainString() + ", clipping norm " + f.clippingNorm().toPlainString() + "); the owner's node accounts its epsilon "
              + "at delta " + f.delta().toPlainString() + " and stops contributing before it exceeds the " + policy.privacy().get().epsilonPerQuery().toPlainString()
              + " this job debits")
          : new Finding("training:privacy", false, "the policy sets a privacy budget, and this federated training adds no noise (noiseMultiplier 0): "
              + "its model could reveal more about one record than the budget allows; set a noise multiplier and a clipping norm"));
    }
    findings.add(new Finding("training", true, "the owner's node trains on at least " + rules.minRows() + " rows (training.minRows) and sends only "
        + "masked updates; the final model leaves sealed to " + request.consumer()));
    return findings;
  }

  /**
   * Private scoring on the he engine reads the feature columns only inside the consumer's model, one score per row
   * (their rule must allow aggregates, as a model's features do); the owner's node bounds the rows and adds the noise
   * of the policy's {@code he} block. Scores carry no privacy-budget noise, so a policy with a budget refuses them.
   */
  private static List<Finding> heScore(Policy policy, UsageRequest request, Computation.HeScore h) {
    List<Finding> findings = new ArrayList<>();
    if (!heEngine(request, "private scoring", findings)) return findings;
    Set<String> columns = new java.util.HashSet<>();
    for (var c : request.schema().columns()) columns.add(c.name());
    for (String column : h.features()) {
      if (!columns.contains(column)) {
        findings.add(new Finding("column:" + column, false, "the feature column " + column + " is not a column of " + request.dataset()));
        continue;
      }
      ColumnRule rule = policy.ruleFor(column);
      findings.add(new Finding("column:" + column, rule.permits(Place.AGGREGATE), "column " + column + " is '" + rule.wireName()
          + "' and the encrypted model combines it with the row's other features" + (rule.permits(Place.AGGREGATE) ? "" : "; " + hint(rule))));
    }
    Policy.He he = policy.heControls();
    findings.add(new Finding("he", true, "the owner's node scores at most " + he.maxRows() + " rows"
        + (he.scoreNoise().signum() > 0 ? " and adds noise of ±" + he.scoreNoise().toPlainString() + " to each score" : "")));
    noBudget(policy, findings, "the scores");
    return findings;
  }

  /**
   * Encrypted aggregation on the he engine groups by one column (its rule must allow GROUP BY) and sums another (its
   * rule must allow aggregates); each owner's node leaves out its own groups below the policy's minimum cohort.
   */
  private static List<Finding> heAggregate(Policy policy, UsageRequest request, Computation.HeAggregate h) {
    List<Finding> findings = new ArrayList<>();
    if (!heEngine(request, "encrypted aggregation", findings)) return findings;
    Set<String> columns = new java.util.HashSet<>();
    for (var c : request.schema().columns()) columns.add(c.name());
    List<String[]> uses = new ArrayList<>();
    uses.add(new String[] {h.groupBy(), "group"});
    h.sum().ifPresent(c -> uses.add(new String[] {c, "sum"}));
    for (String[] use : uses) {
      String column = use[0];
      if (!columns.contains(column)) {
        findings.add(new Finding("column:" + column, false, "the column " + column + " is not a column of " + request.dataset()));
        continue;
      }
      ColumnRule rule = policy.ruleFor(column);
      Place place = use[1].equals("group") ? Place.GROUP_BY : Place.AGGREGATE;
      findings.add(new Finding("column:" + column, rule.permits(place), "column " + column + " is '" + rule.wireName() + "' and the aggregate "
          + (place == Place.GROUP_BY ? "groups by it" : "sums it") + (rule.permits(place) ? "" : "; " + hint(rule))));
    }
    findings.add(new Finding("min-cohort", true, "the owner's node leaves out its groups of fewer than " + policy.minCohort() + " records"));
    noBudget(policy, findings, "the totals");
    return findings;
  }

  private static boolean heEngine(UsageRequest request, String what, List<Finding> findings) {
    if (request.engine() == io.covenant.core.job.Engine.HE) return true;
    findings.add(new Finding("computation", false, what + " runs only on the he engine, not " + request.engine().wireName() + "; submit the job with engine he"));
    return false;
  }

  private static void noBudget(Policy policy, List<Finding> findings, String what) {
    if (policy.privacy().isPresent()) {
      findings.add(new Finding("privacy", false, "the policy spends a privacy budget on every use, but " + what + " of the he engine carry no "
          + "differentially private noise, so the budget would not cover them"));
    }
  }

  /**
   * A vertical model on the multi-party engine uses this dataset's id column only to match rows (its rule must allow a
   * JOIN key) and its feature or label columns only inside the training, an aggregate of every matched row (their rule
   * must allow aggregates); nothing else of the dataset is read.
   */
  private static List<Finding> verticalModel(Policy policy, UsageRequest request, Computation.VerticalLogisticRegression v) {
    List<Finding> findings = new ArrayList<>();
    if (request.engine() != io.covenant.core.job.Engine.MPC) {
      findings.add(new Finding("computation", false, "vertical logistic regression runs only on the mpc engine, not " + request.engine().wireName()));
      return findings;
    }
    Set<String> columns = new java.util.HashSet<>();
    for (var c : request.schema().columns()) columns.add(c.name());
    if (!columns.contains(v.idColumn())) {
      findings.add(new Finding("column:" + v.idColumn(), false, "the id column " + v.idColumn() + " is not a column of " + request.dataset()));
    } else {
      ColumnRule rule = policy.ruleFor(v.idColumn());
      findings.add(new Finding("column:" + v.idColumn(), rule.permits(Place.JOIN_KEY), "column " + v.idColumn() + " is '"
          + rule.name().toLowerCase(java.util.Locale.ROOT) + "' and the model matches rows on it" + (rule.permits(Place.JOIN_KEY) ? "" : "; " + hint(rule))));
    }
    List<String> used = new ArrayList<>(v.features());
    used.add(v.label());
    boolean any = false;
    for (String column : used) {
      if (!columns.contains(column)) continue; // the other owner's column
      any = true;
      ColumnRule rule = policy.ruleFor(column);
      findings.add(new Finding("column:" + column, rule.permits(Place.AGGREGATE), "column " + column + " is '" + rule.name().toLowerCase(java.util.Locale.ROOT)
          + "' and the model aggregates it over every matched row" + (rule.permits(Place.AGGREGATE) ? "" : "; " + hint(rule))));
    }
    if (!any) findings.add(new Finding("computation", false, "the model uses no feature or label column of " + request.dataset()));
    findings.add(new Finding("matching:reveal", policy.matching().revealMatches(), policy.matching().revealMatches()
        ? "the policy lets the other owner learn which of its ids occur in " + request.dataset() + " (matching.revealMatches), which a vertical model's alignment reveals"
        : "a vertical model aligns both owners' rows, so the other owner learns which of its ids occur in " + request.dataset()
            + "; the policy does not allow that (matching.revealMatches is false): the owner sets it to true, or the consumer asks only for "
            + "an intersection that the consumer alone learns"));
    if (policy.privacy().isPresent()) {
      findings.add(new Finding("privacy", false, "the policy spends a privacy budget on every use, but the model is released without noise "
          + "(no differentially private training yet), so the budget would not cover it"));
    }
    return findings;
  }

  /**
   * A private set intersection reads only the id column, as a match key (its rule must allow a JOIN key), on the mpc
   * engine. Whoever receives the output learns which of its own ids occur in this dataset: when that is anyone but this
   * dataset's owner (the consumer, if another organisation; the other owner, when both learn), the policy must allow it
   * with {@code matching.revealMatches}. Exact membership is not differentially private, so a budget refuses it.
   */
  private static List<Finding> intersection(Policy policy, UsageRequest request, Computation.PrivateSetIntersection i) {
    List<Finding> findings = new ArrayList<>();
    if (request.engine() != io.covenant.core.job.Engine.MPC) {
      findings.add(new Finding("computation", false, "a private set intersection runs only on the mpc engine (the owners' nodes), not " + request.engine().wireName()));
      return findings;
    }
    if (request.schema().column(i.idColumn()).isEmpty()) {
      findings.add(new Finding("column:" + i.idColumn(), false, "the id column " + i.idColumn() + " is not a column of " + request.dataset()));
    } else {
      ColumnRule rule = policy.ruleFor(i.idColumn());
      findings.add(new Finding("column:" + i.idColumn(), rule.permits(Place.JOIN_KEY), "column " + i.idColumn() + " is '"
          + rule.name().toLowerCase(java.util.Locale.ROOT) + "' and the intersection matches rows on it" + (rule.permits(Place.JOIN_KEY) ? "" : "; " + hint(rule))));
    }
    boolean othersLearn = i.learners() == Computation.PrivateSetIntersection.Learners.BOTH || !request.consumer().equals(request.dataset().owner());
    if (othersLearn) {
      String who = request.consumer().equals(request.dataset().owner()) ? "the other owner" : request.consumer().toString();
      findings.add(new Finding("matching:reveal", policy.matching().revealMatches(), policy.matching().revealMatches()
          ? "the policy lets " + who + " learn which of its ids occur in " + request.dataset() + " (matching.revealMatches)"
          : who + " would learn which of its ids occur in " + request.dataset() + "; the policy does not allow that (matching.revealMatches is false): "
              + "the owner sets it to true" + (i.learners() == Computation.PrivateSetIntersection.Learners.BOTH ? ", or the consumer asks with learners consumer" : "")));
    }
    if (policy.privacy().isPresent()) {
      findings.add(new Finding("privacy", false, "the policy spends a privacy budget on every use, but an intersection reveals exact membership "
          + "of ids, which no budget covers"));
    }
    return findings;
  }

  /**
   * A model training is admitted only by a policy with a {@link Policy.Training} section. The feature query is analysed
   * like any query: the columns it outputs (features and label) must be listed in {@code training.columns}; every other
   * use (WHERE, JOIN ... ON) follows the column rules. Its rows never leave the enclave, so row-level output is what a
   * feature query is; what leaves is the model, sealed to the consumer, trained on at least {@code training.minRows}
   * rows. A model is not differentially private, so under a privacy budget training is refused rather than released
   * outside the budget.
   */
  private static List<Finding> training(Policy policy, UsageRequest request, Computation.ModelTraining t) {
    if (policy.training().isEmpty()) {
      return List.of(new Finding("training", false, "model training (" + t.objective() + ") is not allowed by this policy: it has no "
          + "training section; the owner adds one naming the columns a model may learn from (training.columns) and the fewest "
          + "rows it may learn from (training.minRows), or ask for an aggregate query instead"));
    }
    Policy.Training rules = policy.training().get();
    List<Finding> findings = new ArrayList<>();
    if (request.engine() != io.covenant.core.job.Engine.TEE) {
      findings.add(new Finding("training:engine", false, "model training runs only in the TEE engine, not " + request.engine().wireName()
          + "; submit the job with engine tee"));
    }
    QueryAnalysis analysis = analysis(t.featureSql(), request);
    findings.addAll(analysis.problems());
    if (analysis.problems().stream().anyMatch(f -> f.rule().equals("sql"))) return findings;

    Map<String, List<ColumnUse>> byColumn = new LinkedHashMap<>();
    for (ColumnUse u : analysis.uses()) byColumn.computeIfAbsent(u.column(), k -> new ArrayList<>()).add(u);
    byColumn.forEach((column, uses) -> {
      ColumnRule rule = policy.ruleFor(column);
      Set<String> allowed = new LinkedHashSet<>();
      Set<String> forbidden = new LinkedHashSet<>();
      for (ColumnUse u : uses) {
        boolean ok = u.place() == Place.SELECT ? rules.allows(column) : rule.permits(u.place());
        (ok ? allowed : forbidden).add(u.place() == Place.SELECT ? "trains a model on it (as a feature or the label)" : u.describe());
      }
      findings.add(forbidden.isEmpty()
          ? new Finding("column:" + column, true, "column " + column + " is '" + rule.wireName() + "'"
              + (rules.allows(column) ? " and listed in training.columns" : "") + ", and the feature query " + String.join(" and ", allowed))
          : new Finding("column:" + column, false, "column " + column + " is '" + rule.wireName() + "'"
              + (rules.allows(column) ? "" : " and not listed in training.columns") + ", but the feature query " + String.join(" and ", forbidden)
              + "; a model may learn from or predict only the columns training.columns lists ("
              + String.join(", ", rules.columns()) + "), and elsewhere " + hint(rule)));
    });
    if (policy.privacy().isPresent()) {
      findings.add(new Finding("training:privacy", false, "the policy sets a privacy budget, and a trained model is not differentially "
          + "private: it could reveal more about one record than the budget allows, so no model is trained under it; ask for noisy "
          + "statistics instead, or the owner publishes a policy without a budget that allows training"));
    }
    findings.add(new Finding("training", true, "the enclave trains the model only on at least " + rules.minRows() + " rows (training.minRows) "
        + "and releases the model and its training metric sealed to " + request.consumer() + "; no per-row prediction leaves it"));
    return findings;
  }

  private static List<Finding> sql(Policy policy, UsageRequest request, String sql) {
    QueryAnalysis analysis = analysis(sql, request);
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

    findings.addAll(release(policy, request, analysis));
    policy.privacy().ifPresent(budget -> findings.addAll(noise(budget, policy.release(), analysis)));
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

  /** The same SQL for the same table and schema is analysed once: the parse is most of a decision's cost. */
  private static QueryAnalysis analysis(String sql, UsageRequest request) {
    AnalysisKey key = new AnalysisKey(sql, request.tableName(), request.dataset().dataset().toString(), request.schema(), request.jobTables());
    QueryAnalysis a = ANALYSES.get(key);
    if (a != null) return a;
    a = QueryAnalyzer.analyze(sql, key.tableName(), key.datasetName(), key.schema(), key.jobTables());
    if (ANALYSES.size() >= ANALYSIS_CACHE_LIMIT) ANALYSES.clear();
    ANALYSES.putIfAbsent(key, a);
    return a;
  }

  /**
   * The columns whose values a statistic must not give away: tagged {@code sensitive} in the dataset's schema, or ruled
   * {@code aggregate} by the policy (the owner said their values may appear only inside aggregates).
   */
  private static boolean sensitive(Policy policy, UsageRequest request, String column) {
    return policy.ruleFor(column) == ColumnRule.AGGREGATE
        || request.schema().column(column).map(c -> c.sensitivity() == Sensitivity.SENSITIVE).orElse(false);
  }

  /**
   * No exact leaks by default. Without a budget, a query that uses a sensitive column anywhere (aggregated, grouped by or
   * filtered on) is denied unless the policy opts out with {@code privacy.exact}: two exact answers whose cohorts differ
   * by one person give that person's value. An order statistic (MIN, MAX, MEDIAN, ...) of a sensitive column is one
   * record's value, so it is denied unless the policy sets {@code privacy.orderStatistics}.
   */
  private static List<Finding> release(Policy policy, UsageRequest request, QueryAnalysis analysis) {
    List<Finding> out = new ArrayList<>();
    Set<String> used = new java.util.TreeSet<>();
    Set<String> ordered = new LinkedHashSet<>();
    for (ColumnUse u : analysis.uses()) {
      if (!sensitive(policy, request, u.column())) continue;
      used.add(u.column());
      if (u.place() == Place.AGGREGATE && QueryAnalyzer.ORDER_STATISTICS.contains(u.aggregate())) ordered.add(u.aggregate() + "(" + u.column() + ")");
    }
    if (!ordered.isEmpty()) {
      out.add(policy.release().orderStatistics()
          ? new Finding("privacy:order-statistics", true, "the policy allows order statistics of sensitive columns (privacy.orderStatistics): "
              + String.join(", ", ordered) + (policy.privacy().isPresent() ? ", noised at the clamped range" : ", released exactly"))
          : new Finding("privacy:order-statistics", false, String.join(", ", ordered) + " returns one record's value of a sensitive column "
              + "(MAX over a cohort of 20 is the largest of 20 people's values, exactly); the policy does not allow order statistics "
              + "(privacy.orderStatistics), so ask for COUNT, SUM or AVG"));
    }
    if (used.isEmpty() || policy.privacy().isPresent()) return out;
    out.add(policy.release().exact()
        ? new Finding("privacy:exact", true, "the policy releases exact statistics of sensitive columns (privacy.exact), so this query's "
            + "answers about " + String.join(", ", used) + " carry no noise; two answers whose cohorts differ by one person give that person's value")
        : new Finding("privacy:exact", false, "the query uses " + String.join(", ", used) + ", which " + (used.size() == 1 ? "is" : "are")
            + " sensitive, and the policy sets no privacy budget: exact answers to two queries whose cohorts differ by one person "
            + "give that person's value. The owner must add privacy.epsilonPerQuery, epsilonTotal and bounds, or knowingly set privacy.exact: true"));
    return out;
  }

  /**
   * Under a privacy budget the engine releases only noisy COUNT, SUM and AVG of single columns, clamped to declared
   * bounds (and MIN, MAX and MEDIAN where the policy allows order statistics); everything else it cannot noise is
   * denied here, before any key is released.
   */
  private static List<Finding> noise(Policy.PrivacyBudget budget, Policy.Release release, QueryAnalysis analysis) {
    Set<String> noised = release.orderStatistics() ? NOISED_WITH_ORDER_STATISTICS : NOISED_AGGREGATES;
    List<Finding> out = new ArrayList<>();
    List<String> shape = new ArrayList<>();
    Set<String> unbounded = new LinkedHashSet<>();
    Set<String> clamped = new LinkedHashSet<>();
    if (!analysis.aggregated()) {
      shape.add("the query returns individual rows, and only noisy COUNT, SUM and AVG may be released under a privacy budget");
    }
    if (analysis.joined()) {
      shape.add("the query joins tables, which can repeat one person's row beyond what the noise covers; query the table alone");
    }
    for (AggregateCall call : analysis.aggregates()) {
      if (!noised.contains(call.function())) {
        shape.add(call.text() + " cannot be noised; only " + (release.orderStatistics() ? "COUNT, SUM, AVG, MIN, MAX and MEDIAN" : "COUNT, SUM and AVG") + " can");
      } else if (!call.clause().equals("SELECT")) {
        shape.add(call.text() + " in " + call.clause() + " would act on the exact value; aggregates may only be selected");
      } else if (!call.simple()) {
        shape.add(call.text() + " is not a plain " + call.function() + "(column) or COUNT(*); move conditions into WHERE and drop DISTINCT");
      } else if (!call.function().equals("COUNT") && call.column().isPresent()) {
        String column = call.column().get();
        budget.boundsOf(column).ifPresentOrElse(
            b -> clamped.add(column + " to [" + b.lower().toPlainString() + ", " + b.upper().toPlainString() + "]"),
            () -> unbounded.add(column));
      }
    }
    if (!shape.isEmpty()) out.add(new Finding("privacy:aggregate", false, String.join("; ", shape)));
    if (!unbounded.isEmpty()) {
      out.add(new Finding("privacy:bounds", false, "the query sums or averages " + String.join(", ", unbounded) + ", but the policy's privacy budget "
          + "declares no bounds for " + (unbounded.size() == 1 ? "it" : "them") + ", so the noise could not cover one record's value; "
          + "the owner must add privacy.bounds, e.g. \"" + unbounded.iterator().next() + "\": [0, 100000]"));
    } else if (shape.isEmpty()) {
      out.add(new Finding("privacy:bounds", true, clamped.isEmpty()
          ? "the query only counts, so no bounds are needed; the engine adds noise to each count"
          : "the engine clamps " + String.join(", ", clamped) + " and adds noise to each released statistic"));
    }
    return out;
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
