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
 * A WHERE that combines quasi-identifiers until one person is left (Sweeney: ZIP, birth date and sex identify most
 * people). Two outcomes, depending on the columns: a quasi-identifier the owner did not release is denied by its
 * column rule; filtering on released dimensions is lawful SQL, so the policy hands the tiny cohort to the engine,
 * which withholds it (tee-worker's NarrowedCohortIsSuppressed runs it).
 */
class NarrowingToOnePersonByQuasiIdentifiers {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT AVG(claim_cost) FROM claims WHERE age = 97 AND sex = 'f' AND ward_code = 'W7'                   | column:ward_code
      SELECT AVG(claim_cost) FROM claims WHERE age = 97 AND length_of_stay = 41                              | column:length_of_stay
      SELECT COUNT(*) FROM claims WHERE sex = 'f' AND claim_cost BETWEEN 12345 AND 12346                     | column:claim_cost
      SELECT diagnosis, COUNT(*) FROM claims WHERE age = 97 AND patient_id LIKE 'p-9%' GROUP BY diagnosis    | column:patient_id
      """)
  void unreleasedQuasiIdentifierIsDeniedByItsColumnRule(String sql, String rule) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, rule);
    assertFalse(f.passed());
    assertTrue(f.explanation().contains("filters on it in WHERE"), f.explanation());
    assertEquals(d.violations(), d.violations().stream().filter(v -> v.rule().startsWith("column:")).toList());
  }

  @Test
  void releasedDimensionsLeaveTheTinyCohortToTheEngine() {
    PolicyDecision d = decide("SELECT AVG(claim_cost) FROM claims WHERE age = 97 AND sex = 'f' AND region = 'north' AND admission_date = DATE '2026-03-04'");
    assertEquals(Outcome.PERMIT, d.outcome(), d.summary());
    PolicyDecision.Finding cohort = finding(d, "min-cohort");
    assertEquals("the engine withholds every group of fewer than 10 records", cohort.explanation());
  }
}
