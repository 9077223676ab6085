package io.covenant.policy;

import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import java.time.Instant;
import java.util.List;

/** The seed scenario: hospital-a's claims, insurer-x asking for statistics. Shared test data. */
final class ClaimsScenario {
  static final String MEASUREMENT = "a".repeat(64);

  /**
   * The scenario's policy. It opts out of the privacy budget ({@code privacy.exact}) and allows order statistics, as
   * every policy did before those fields existed, so that tests of column rules see the decisions they always saw;
   * {@link #withBudget} replaces that with a budget.
   */
  static final String POLICY = """
      { "covenantPolicy": 1, "id": "hospital-a-claims-insurer", "dataset": "hospital-a/claims",
        "assignees": ["insurer-x"], "purposes": ["risk-model"], "engines": ["tee"],
        "tee": { "allowSimulated": false, "measurements": ["%s"] },
        "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z",
        "minCohort": 10,
        "columns": { "patient_id": "never", "age": "dimension", "sex": "dimension", "diagnosis": "dimension",
                     "admission_date": "filter", "length_of_stay": "aggregate", "claim_cost": "aggregate",
                     "member_key": "join", "region": "plain" },
        "defaultColumnRule": "never",
        "privacy": { "exact": true, "orderStatistics": true },
        "approval": { "required": false } }
      """.formatted(MEASUREMENT);
  private static final String EXACT = "\"privacy\": { \"exact\": true, \"orderStatistics\": true },";
  /** The scenario's policy as it was written before privacy.exact existed: no privacy member at all. */
  static final String WITHOUT_PRIVACY = POLICY.replace(EXACT, "");

  static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new Column("patient_id", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("member_key", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("age", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("sex", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER),
      new Column("region", ColumnType.STRING, Sensitivity.PUBLIC),
      new Column("diagnosis", ColumnType.STRING, Sensitivity.SENSITIVE),
      new Column("admission_date", ColumnType.DATE, Sensitivity.QUASI_IDENTIFIER),
      new Column("length_of_stay", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("claim_cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE),
      new Column("ward_code", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER)));

  /** The scenario's job reads claims with the members and regions datasets, governed by their own owners' policies. */
  static final java.util.Set<String> JOB_TABLES = java.util.Set.of("claims", "members", "regions");

  static final Instant DURING = Instant.parse("2026-06-01T12:00:00Z");

  static Policy policy() {
    return Policy.parse(POLICY);
  }

  static UsageRequest request(String sql) {
    return new UsageRequest(OrgId.of("insurer-x"), new Purpose("risk-model"), Engine.TEE,
        DatasetVersion.parse("hospital-a/claims@3"), "claims", SCHEMA, new Computation.SqlQuery(sql), DURING, JOB_TABLES);
  }

  /** The scenario's policy with a privacy budget; {@code bounds} is the JSON object of privacy.bounds. */
  static Policy withBudget(String epsilonPerQuery, String epsilonTotal, String bounds) {
    String end = "\"approval\": { \"required\": false } }";
    String base = WITHOUT_PRIVACY.strip();
    if (!base.endsWith(end) || base.equals(POLICY.strip())) throw new AssertionError("the scenario policy changed shape");
    return Policy.parse(base.substring(0, base.length() - 1)
        + ", \"privacy\": { \"epsilonPerQuery\": " + epsilonPerQuery + ", \"epsilonTotal\": " + epsilonTotal + ", \"bounds\": " + bounds + " } }");
  }

  static Policy withBudget() {
    return withBudget("0.5", "2", "{ \"claim_cost\": [0, 200000], \"length_of_stay\": [0, 365] }");
  }

  static PolicyDecision decide(String sql) {
    return new PolicyEvaluator().evaluate(policy(), request(sql));
  }

  static PolicyDecision.Finding finding(PolicyDecision d, String rule) {
    return d.findings().stream().filter(f -> f.rule().equals(rule)).findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + rule + " in " + d.findings()));
  }

  private ClaimsScenario() {}
}
