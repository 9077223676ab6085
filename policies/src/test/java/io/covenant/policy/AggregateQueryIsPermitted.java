package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AggregateQueryIsPermitted {

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT icd10_chapter(diagnosis) AS chapter, age_band(age) AS age_band, COUNT(*) AS patients, AVG(claim_cost) AS avg_cost FROM claims GROUP BY 1, 2",
      "SELECT icd10_chapter(diagnosis) AS chapter, age_band(age) AS age_band, COUNT(*) AS patients, AVG(claim_cost) AS avg_cost FROM claims GROUP BY icd10_chapter(diagnosis), age_band(age)",
      "SELECT icd10_chapter(diagnosis) AS chapter, age_band(age) AS age_band, COUNT(*) AS patients, AVG(claim_cost) AS avg_cost FROM claims GROUP BY chapter, age_band ORDER BY avg_cost DESC",
      "select sex, round(avg(length_of_stay), 1), max(claim_cost) from CLAIMS where admission_date >= DATE '2025-01-01' and age between 40 and 49 group by sex having count(*) >= 20 order by 1",
      "SELECT diagnosis, SUM(CASE WHEN sex = 'f' THEN claim_cost ELSE 0 END) AS female_cost FROM claims c GROUP BY c.diagnosis",
      "SELECT COUNT(*) FROM claims",
      "SELECT region, name FROM claims c JOIN regions r ON c.region = r.code",
  })
  void permits(String sql) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.PERMIT, d.outcome(), d.summary() + " " + d.violations());
    assertTrue(d.violations().isEmpty());
    assertTrue(d.summary().startsWith("Permitted"), d.summary());
  }

  @org.junit.jupiter.api.Test
  void explainsEachColumnsUse() {
    PolicyDecision d = decide(
        "SELECT icd10_chapter(diagnosis) AS chapter, age_band(age) AS age_band, COUNT(*) AS patients, AVG(claim_cost) AS avg_cost FROM claims GROUP BY 1, 2");
    assertEquals("column age is 'dimension' and the query selects it and groups by it", finding(d, "column:age").explanation());
    assertEquals("column claim_cost is 'aggregate' and the query aggregates it with AVG in SELECT", finding(d, "column:claim_cost").explanation());
    assertTrue(finding(d, "min-cohort").explanation().contains("fewer than 10 records"));
    for (var f : d.findings()) assertTrue(f.passed() && !f.explanation().isBlank(), f.toString());
  }
}
