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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One outcome channel, at the policy layer: a query that could raise an error on some rows and not on others is denied
 * before any key is released, naming what to change: CAST of a value from the data ({@code cast}), division by
 * anything but a positive constant ({@code division}), a function outside the list ({@code function:NAME}), a table
 * outside the job ({@code table:NAME}).
 */
class QueriesThatCanFailOnARecordAreDenied {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT COUNT(*) FROM claims WHERE CAST(age - 100 AS UTINYINT) = 0                  | cast
      SELECT COUNT(*) FROM claims WHERE age::UTINYINT = 1                                 | cast
      SELECT COUNT(*) FROM claims WHERE error('x') IS NULL                                | function:ERROR
      SELECT sex, COUNT(*) FROM claims WHERE md5(sex) = 'x' GROUP BY sex                  | function:MD5
      SELECT COUNT(*) FROM claims WHERE 100 / (age - 97) > 1                              | division
      SELECT COUNT(*) FROM claims WHERE age % 0 = 1                                       | division
      SELECT COUNT(*) FROM claims WHERE age DIV -1 = 1                                    | division
      SELECT sex, SUM(claim_cost) / NULLIF(SUM(length_of_stay), 1) AS r FROM claims GROUP BY sex | division
      SELECT sex, SUM(claim_cost) % NULLIF(SUM(length_of_stay), 0) AS r FROM claims GROUP BY sex | division
      SELECT sex, SUM(claim_cost) DIV NULLIF(SUM(length_of_stay), 0) AS r FROM claims GROUP BY sex | division
      SELECT COUNT(*) FROM claims CROSS JOIN secrets                                      | table:secrets
      SELECT COUNT(*) FROM claims WHERE EXTRACT(epoch FROM admission_date) > 1            | sql
      SELECT DATE_TRUNC(sex, admission_date) AS d, COUNT(*) FROM claims GROUP BY 1       | sql
      SELECT DATE_TRUNC('epoch', admission_date) AS d, COUNT(*) FROM claims GROUP BY 1   | sql
      """)
  void denied(String sql, String rule) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.DENY, d.outcome(), sql);
    assertFalse(finding(d, rule).passed(), d.findings().toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "SELECT COUNT(*) FROM claims WHERE TRY_CAST(age - 100 AS UTINYINT) = 0",
      "SELECT COUNT(*) FROM claims WHERE admission_date >= '2025-01-01'::DATE",
      "SELECT COUNT(*) FROM claims WHERE admission_date >= CAST('2025-01-01' AS DATE)",
      "SELECT age / 10 AS decade, COUNT(*) FROM claims GROUP BY 1",
      "SELECT age % 5 AS bucket, COUNT(*) FROM claims GROUP BY 1",
      // A ratio of statistics whose divisor can be zero for some group: NULLIF makes that group's ratio NULL, not an error.
      "SELECT sex, SUM(claim_cost) / NULLIF(SUM(length_of_stay), 0) AS cost_per_day FROM claims GROUP BY sex",
      "SELECT sex, ROUND(LEAST(40, 100.0 * SUM(claim_cost) / NULLIF(SUM(length_of_stay), 0.0)), 1) AS capped FROM claims GROUP BY sex",
      "SELECT COALESCE(sex, '?') AS s, COUNT(*) FROM claims GROUP BY 1",
      "SELECT sex, COUNT(*) FROM claims WHERE EXTRACT(YEAR FROM admission_date) = 2025 GROUP BY sex",
      "SELECT sex, COUNT(*) FROM claims WHERE DATE_TRUNC('month', admission_date) = DATE '2025-03-01' GROUP BY sex",
      "SELECT sex, AVG(claim_cost) FROM claims WHERE date_trunc('Quarter', admission_date) >= DATE '2025-01-01' GROUP BY sex HAVING COUNT(*) >= 20",
      "SELECT c.sex, COUNT(*) FROM claims c JOIN members m ON c.member_key = m.member_key GROUP BY c.sex"})
  void permitted(String sql) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.PERMIT, d.outcome(), d.summary() + " " + d.violations());
  }

  @Test
  void theFindingsSayWhatToWriteInstead() {
    assertTrue(finding(decide("SELECT COUNT(*) FROM claims WHERE CAST(age - 100 AS UTINYINT) = 0"), "cast").explanation()
        .endsWith("write TRY_CAST(... AS UTINYINT), which gives NULL instead"));
    assertTrue(finding(decide("SELECT COUNT(*) FROM claims WHERE error('x') IS NULL"), "function:ERROR").explanation()
        .contains("Allowed: AVG, COUNT, MAX, MEDIAN, MIN, MODE, QUANTILE, QUANTILE_CONT, QUANTILE_DISC, STDDEV"));
    assertTrue(finding(decide("SELECT COUNT(*) FROM claims CROSS JOIN secrets"), "table:secrets").explanation()
        .startsWith("the query reads table secrets, which is not one of the job's datasets (claims, members, regions)"));
  }
}
