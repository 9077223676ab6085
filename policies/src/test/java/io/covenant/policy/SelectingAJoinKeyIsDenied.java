package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A join key (a pseudonymous member id) links records across datasets: one group per key value is one group per
 * person. It may only be matched in JOIN ... ON; every other way of getting at it is denied by column:member_key.
 */
class SelectingAJoinKeyIsDenied {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT member_key, COUNT(*) FROM claims GROUP BY member_key                                                   | selects it and groups by it
      SELECT c.member_key, SUM(c.claim_cost) FROM claims c JOIN members m ON c.member_key = m.member_key GROUP BY c.member_key | selects it
      SELECT COUNT(*) FROM claims GROUP BY member_key                                                               | groups by it
      SELECT COUNT(DISTINCT member_key) FROM claims                                                                 | aggregates it with COUNT in SELECT
      SELECT MIN(member_key) FROM claims                                                                            | aggregates it with MIN in SELECT
      SELECT upper(member_key) AS k, COUNT(*) FROM claims GROUP BY k                                                | selects it and groups by it
      SELECT sex, COUNT(*) FROM claims GROUP BY sex ORDER BY MAX(member_key)                                        | aggregates it with MAX in ORDER BY
      SELECT sex, COUNT(*) FROM claims WHERE member_key = 'm-7' GROUP BY sex                                        | filters on it in WHERE
      """)
  void everyUseOutsideAJoinKeyIsDenied(String sql, String use) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.DENY, d.outcome(), d.findings().toString());
    PolicyDecision.Finding f = finding(d, "column:member_key");
    assertFalse(f.passed());
    assertTrue(f.explanation().contains(use), f.explanation());
    assertTrue(f.explanation().endsWith("it may only be used as a key in JOIN ... ON a = b"), f.explanation());
  }
}
