package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Queries that try to isolate one person's record while looking like statistics. */
class SingleOutAttemptIsDenied {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      SELECT AVG(claim_cost) FROM claims WHERE patient_id = 'p-0042'                                         | column:patient_id | filters on it in WHERE
      SELECT AVG(claim_cost) FROM claims WHERE patient_id IN ('p-1', 'p-2')                                  | column:patient_id | filters on it in WHERE
      SELECT SUM(CASE WHEN patient_id = 'p-0042' THEN claim_cost ELSE 0 END) FROM claims                     | column:patient_id | chooses rows by it inside SUM in SELECT
      SELECT SUM(claim_cost) FILTER (WHERE patient_id = 'p-0042') FROM claims                                | column:patient_id | chooses rows by it inside SUM in SELECT
      SELECT COUNT(*) FROM claims WHERE claim_cost = 12345.67                                                | column:claim_cost | filters on it in WHERE
      SELECT SUM(CASE WHEN claim_cost = 12345.67 THEN length_of_stay END) FROM claims                        | column:claim_cost | chooses rows by it inside SUM in SELECT
      SELECT age, COUNT(*) FROM claims GROUP BY age HAVING MAX(patient_id) = 'p-0042'                        | column:patient_id | aggregates it with MAX in HAVING
      SELECT member_key, COUNT(*) FROM claims GROUP BY member_key                                            | column:member_key | selects it and groups by it
      SELECT c.member_key, AVG(claim_cost) FROM claims c JOIN members m ON c.member_key = m.member_key GROUP BY 1 | column:member_key | selects it and groups by it
      SELECT AVG(c.claim_cost) FROM claims c JOIN members m ON c.member_key = m.member_key AND c.member_key = 'm-7' | column:member_key | filters on it in a JOIN condition
      SELECT AVG(claim_cost) FROM claims c JOIN members m ON c.patient_id = m.patient_id                      | column:patient_id | joins on it
      SELECT age_band(age) AS band, COUNT(*) FROM claims GROUP BY 1 ORDER BY patient_id                      | column:patient_id | orders by it
      SELECT sex, MIN(claim_cost) FROM claims GROUP BY sex HAVING MIN(age) > 99                              | column:age | aggregates it with MIN in HAVING
      SELECT "PATIENT_ID", COUNT(*) FROM claims GROUP BY 1                                                   | column:patient_id | selects it and groups by it
      SELECT COUNT(*) FROM claims a JOIN claims b ON a.member_key = b.member_key WHERE b.patient_id LIKE 'p-00%' | column:patient_id | filters on it in WHERE
      SELECT age, COUNT(*) FROM main.claims GROUP BY age ORDER BY CASE WHEN patient_id = 'p-1' THEN 0 ELSE 1 END | column:patient_id | orders by it
      """)
  void columnRuleCatchesIt(String sql, String rule, String use) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.DENY, d.outcome(), d.findings().toString());
    PolicyDecision.Finding f = finding(d, rule);
    assertFalse(f.passed());
    assertTrue(f.explanation().contains(use), f.explanation());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      SELECT patient_id, MAX(claim_cost) OVER (PARTITION BY patient_id) FROM claims                          | window function
      SELECT ARRAY_AGG(claim_cost), sex FROM claims GROUP BY sex                                             | returns individual values
      SELECT ARG_MAX(patient_id, claim_cost) FROM claims                                                     | returns individual values
      SELECT AVG(claim_cost) FROM claims WHERE age = (SELECT MAX(age) FROM claims)                           | subqueries
      SELECT AVG(claim_cost) FROM claims WHERE EXISTS (SELECT 1 FROM claims WHERE patient_id = 'p-1')        | subqueries
      SELECT AVG(t.claim_cost) FROM (SELECT * FROM claims WHERE patient_id = 'p-1') t                        | subqueries in FROM
      SELECT COUNT(*) FROM claims UNION SELECT COUNT(*) FROM claims WHERE patient_id = 'p-1'                 | UNION
      WITH one AS (SELECT * FROM claims WHERE patient_id = 'p-1') SELECT AVG(claim_cost) FROM one            | WITH
      SELECT AVG(claim_cost) FROM claims c NATURAL JOIN members m                                            | NATURAL JOIN
      SELECT AVG(claim_cost) FROM claims WHERE x.patient_id = 'p-1'                                          | no table or alias named x
      SELECT sex, COUNT(*) FROM claims GROUP BY sex LIMIT 1 OFFSET (SELECT COUNT(*) FROM claims WHERE patient_id = 'p-1') | computed LIMIT
      SELECT AVG(claim_cost) FROM read_csv('/etc/passwd')                                                    | FROM items other than tables
      """)
  void structureCatchesIt(String sql, String phrase) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.DENY, d.outcome(), d.findings().toString());
    PolicyDecision.Finding f = finding(d, "sql");
    assertFalse(f.passed());
    assertTrue(f.explanation().contains(phrase), f.explanation());
  }
}
