package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two owners' tables may be joined only on a column the owner ruled {@code join} (a pseudonymous key): joining on a
 * quasi-identifier (age, sex) would link records across datasets by who the person is, and an identifier ruled
 * {@code never} may not be touched at all. The refusal names the column, its rule and what the rule allows.
 */
class JoiningOnAColumnNotRuledJoinIsRefused {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SELECT m.tier, COUNT(*) FROM claims c JOIN members m ON c.sex = m.sex GROUP BY m.tier|sex|dimension",
      "SELECT m.tier, COUNT(*) FROM claims c JOIN members m ON c.age = m.age GROUP BY m.tier|age|dimension",
      "SELECT m.tier, COUNT(*) FROM claims c JOIN members m ON c.patient_id = m.patient_id GROUP BY m.tier|patient_id|never",
      "SELECT m.tier, COUNT(*) FROM claims c JOIN members m USING (admission_date) GROUP BY m.tier|admission_date|filter"})
  void aJoinOnAnyOtherColumnIsRefusedWithItsRule(String sql, String column, String rule) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, "column:" + column);
    assertFalse(f.passed());
    assertTrue(f.explanation().startsWith("column " + column + " is '" + rule + "' but the query joins on it"), f.explanation());
  }

  @Test
  void havingCaseAndDateFunctionsOverAJoinOnTheKeyArePermitted() {
    PolicyDecision d = decide("""
        SELECT m.tier, DATE_TRUNC('month', c.admission_date) AS month_start, COUNT(*) AS claims,
               SUM(CASE WHEN c.sex = 'F' THEN c.claim_cost ELSE 0 END) AS female_cost
        FROM claims c JOIN members m ON c.member_key = m.member_key
        WHERE EXTRACT(YEAR FROM c.admission_date) = 2026 AND c.admission_date >= DATE '2026-01-01'
        GROUP BY m.tier, DATE_TRUNC('month', c.admission_date)
        HAVING COUNT(*) >= 20 AND AVG(c.claim_cost) > 100
        ORDER BY m.tier""");
    // admission_date is a filter column: grouping by its month is not filtering, so the policy names it; the rest passes.
    assertFalse(finding(d, "column:admission_date").passed(), d.findings().toString());
    assertTrue(finding(d, "column:member_key").passed());
    assertTrue(finding(d, "column:claim_cost").passed(), finding(d, "column:claim_cost").explanation());
    assertTrue(finding(d, "column:sex").passed(), finding(d, "column:sex").explanation());

    PolicyDecision byMonthOfADimension = decide("""
        SELECT m.tier, CASE WHEN c.age >= 65 THEN 'senior' ELSE 'adult' END AS band, COUNT(*) AS claims,
               SUM(CASE WHEN c.sex = 'F' THEN c.claim_cost ELSE 0 END) AS female_cost
        FROM claims c JOIN members m ON c.member_key = m.member_key
        WHERE EXTRACT(YEAR FROM c.admission_date) = 2026 AND DATE_TRUNC('month', c.admission_date) >= DATE '2026-03-01'
        GROUP BY m.tier, CASE WHEN c.age >= 65 THEN 'senior' ELSE 'adult' END
        HAVING COUNT(*) >= 20 AND AVG(c.claim_cost) > 100""");
    assertEquals(Outcome.PERMIT, byMonthOfADimension.outcome(), byMonthOfADimension.violations().toString());
  }
}
