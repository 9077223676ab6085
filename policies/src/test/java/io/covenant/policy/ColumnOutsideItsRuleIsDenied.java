package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnOutsideItsRuleIsDenied {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT patient_id, COUNT(*) FROM claims GROUP BY patient_id                | patient_id   | column patient_id is 'never' but the query selects it and groups by it; such a column may not be used at all
      SELECT age, COUNT(patient_id) FROM claims GROUP BY age                     | patient_id   | column patient_id is 'never' but the query aggregates it with COUNT in SELECT; such a column may not be used at all
      SELECT claim_cost, COUNT(*) FROM claims GROUP BY claim_cost                | claim_cost   | column claim_cost is 'aggregate' but the query selects it and groups by it; it may only appear inside AVG, COUNT, MAX, MEDIAN, MIN, MODE, QUANTILE, QUANTILE_CONT, QUANTILE_DISC, STDDEV, STDDEV_POP, STDDEV_SAMP, SUM, VARIANCE, VAR_POP, VAR_SAMP
      SELECT sex, AVG(claim_cost) FROM claims WHERE claim_cost > 100000 GROUP BY sex | claim_cost | column claim_cost is 'aggregate' but the query filters on it in WHERE; it may only appear inside AVG, COUNT, MAX, MEDIAN, MIN, MODE, QUANTILE, QUANTILE_CONT, QUANTILE_DISC, STDDEV, STDDEV_POP, STDDEV_SAMP, SUM, VARIANCE, VAR_POP, VAR_SAMP
      SELECT sex, MAX(age) FROM claims GROUP BY sex                              | age          | column age is 'dimension' but the query aggregates it with MAX in SELECT; it may be grouped by, selected as a group key and filtered on, but not aggregated or joined on
      SELECT admission_date, COUNT(*) FROM claims GROUP BY admission_date        | admission_date | column admission_date is 'filter' but the query selects it and groups by it; it may only be used to choose rows (WHERE)
      SELECT age, COUNT(*) FROM claims                                           | age          | column age is 'dimension' but the query selects it without grouping by it, which would show one record's value; it may be grouped by, selected as a group key and filtered on, but not aggregated or joined on
      SELECT ward_code, COUNT(*) FROM claims GROUP BY ward_code                  | ward_code    | column ward_code is 'never' (the policy's default rule) but the query selects it and groups by it; such a column may not be used at all
      """)
  void denied(String sql, String column, String explanation) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, "column:" + column);
    assertFalse(f.passed());
    assertEquals(explanation, f.explanation());
  }

  @Test
  void unknownColumnIsNamed() {
    PolicyDecision d = decide("SELECT salary, COUNT(*) FROM claims GROUP BY salary");
    assertEquals(Outcome.DENY, d.outcome());
    assertEquals("the query refers to salary, which is not a column of hospital-a/claims", finding(d, "column:salary").explanation());
  }

  @Test
  void everyViolationIsReportedNotJustTheFirst() {
    PolicyDecision d = decide("SELECT patient_id, claim_cost FROM claims WHERE admission_date > DATE '2026-01-01'");
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "column:patient_id").passed());
    assertFalse(finding(d, "column:claim_cost").passed());
    assertFalse(finding(d, "aggregation").passed());
    assertEquals(3, d.violations().size(), d.violations().toString());
    assertEquals("Denied: Column patient_id is 'never' but the query selects it; such a column may not be used at all (and 2 more problems).", d.summary());
  }
}
