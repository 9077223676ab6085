package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static io.covenant.policy.ClaimsScenario.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * WHERE patient_id = ... turns any aggregate into one person's record. The identifier is 'never', so every form of
 * choosing rows by it is denied by column:patient_id, with or without a privacy budget (noise does not excuse it).
 */
class FilteringOnAnIdentifierIsDenied {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT SUM(claim_cost) FROM claims WHERE patient_id = 'p-0042'                                  | filters on it in WHERE
      SELECT COUNT(*) FROM claims WHERE patient_id BETWEEN 'p-0042' AND 'p-0042'                      | filters on it in WHERE
      SELECT COUNT(*) FROM claims WHERE NOT (patient_id <> 'p-0042')                                  | filters on it in WHERE
      SELECT COUNT(*) FROM claims WHERE lower(patient_id) IN ('p-0042')                               | filters on it in WHERE
      SELECT COUNT(*) FROM claims WHERE patient_id IS NOT NULL AND substr(patient_id, 3) = '0042'     | filters on it in WHERE
      SELECT sex, COUNT(*) FROM claims GROUP BY sex HAVING MAX(patient_id) = 'p-0042'                 | aggregates it with MAX in HAVING
      SELECT COUNT(*) FROM claims c JOIN members m ON c.member_key = m.member_key AND c.patient_id = 'p-1' | filters on it in a JOIN condition
      """)
  void everyWayOfChoosingByTheIdentifierIsDenied(String sql, String use) {
    for (Policy p : new Policy[] {ClaimsScenario.policy(), ClaimsScenario.withBudget()}) {
      PolicyDecision d = new PolicyEvaluator().evaluate(p, request(sql));
      assertEquals(Outcome.DENY, d.outcome(), d.findings().toString());
      PolicyDecision.Finding f = finding(d, "column:patient_id");
      assertFalse(f.passed());
      assertTrue(f.explanation().contains("column patient_id is 'never'") && f.explanation().contains(use), f.explanation());
    }
  }
}
