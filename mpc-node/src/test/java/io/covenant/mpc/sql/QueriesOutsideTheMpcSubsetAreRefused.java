package io.covenant.mpc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.OutputControls;
import io.covenant.policy.Policy;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Anything the multi-party engine cannot compute on shares is refused with its reason; nothing falls back to the clear. */
class QueriesOutsideTheMpcSubsetAreRefused {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "SELECT age_band(age), COUNT(*) FROM claims WHERE age > 40 GROUP BY age_band(age)|WHERE is not in the multi-party subset",
      "SELECT sex, COUNT(*) FROM claims GROUP BY sex|groups by functions with a public domain only",
      "SELECT age_band(age), COUNT(*) FROM claims GROUP BY age_band(age) HAVING COUNT(*) > 3|HAVING",
      "SELECT age_band(a.age), COUNT(*) FROM claims a JOIN policies p ON a.patient_id = p.patient_id GROUP BY age_band(a.age)|joins are not in the multi-party subset",
      "SELECT age_band(age), MAX(claim_cost) FROM claims GROUP BY age_band(age)|is not in the multi-party subset",
      "SELECT DISTINCT age_band(age) FROM claims|DISTINCT",
      "SELECT age_band(age), COUNT(*) FROM claims GROUP BY age_band(age) LIMIT 3|LIMIT",
      "SELECT age_band(age), COUNT(*) AS n FROM claims GROUP BY age_band(age) ORDER BY n|orders by group keys only",
      "SELECT COUNT(*) FROM (SELECT * FROM claims) t|one table by name",
      "SELECT icd10_chapter(diagnosis), COUNT(*) FROM claims GROUP BY age_band(age)|is selected but not in GROUP BY",
      "SELECT COUNT(DISTINCT patient_id) FROM claims|is not in the multi-party subset",
      "DELETE FROM claims|one plain SELECT",
      "SELEC nonsense|could not be parsed",
  })
  void refusedWithItsReason(String sql, String reason) {
    MpcQueryRefusedException e = assertThrows(MpcQueryRefusedException.class, () -> SecureAggregateQuery.compile(sql, OutputControls.cohortOnly(5)));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void aSumWithoutDeclaredBoundsIsRefusedUnderABudget() {
    OutputControls budget = new OutputControls(5, Optional.of(new OutputControls.Privacy(BigDecimal.ONE,
        Map.of("length_of_stay", new Policy.Bounds(BigDecimal.ZERO, BigDecimal.TEN)))));
    MpcQueryRefusedException e = assertThrows(MpcQueryRefusedException.class,
        () -> SecureAggregateQuery.compile("SELECT AVG(claim_cost) FROM claims", budget));
    assertTrue(e.getMessage().contains("claim_cost has no declared privacy bounds"), e.getMessage());
  }

  @Test
  void theSupportedShapeCompilesToItsGroupsAndMeasurements() {
    SecureAggregateQuery q = SecureAggregateQuery.compile(
        "SELECT icd10_chapter(diagnosis) AS chapter, age_band(age) AS band, COUNT(*) AS n, AVG(claim_cost) AS mean, SUM(claim_cost) AS total "
            + "FROM claims GROUP BY icd10_chapter(diagnosis), age_band(age) ORDER BY chapter, 2", OutputControls.cohortOnly(10));
    assertEquals("claims", q.table());
    assertEquals(23 * 11, q.groups()); // 22 chapters and 10 bands, each with NULL
    assertEquals(java.util.List.of("rows", "count:claim_cost", "sum:claim_cost"), q.measurements().stream().map(SecureAggregateQuery.Measurement::name).toList());
    assertEquals(java.util.List.of("IV Endocrine", "50-59"), q.keyValues(3 * 11 + 5));
    // The consumer rebuilds the same query from the layout the parties seal; an altered layout is refused.
    assertEquals(q.layout(), SecureAggregateQuery.fromLayout(q.layout()).layout());
  }
}
