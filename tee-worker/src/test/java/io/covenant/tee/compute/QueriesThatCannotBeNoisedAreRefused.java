package io.covenant.tee.compute;

import io.covenant.policy.OutputControls;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Under a privacy budget the enclave refuses, before any key is asked for, what it cannot release with noise. */
class QueriesThatCannotBeNoisedAreRefused {
  private static final OutputControls.Privacy PRIVACY =
      new OutputControls.Privacy(BigDecimal.ONE, Map.of("claim_cost", PrivateTable.COST));

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT sex, MAX(claim_cost) FROM claims GROUP BY sex                                       | cannot be released with noise
      SELECT sex, SUM(age) FROM claims GROUP BY sex                                              | column age has no declared privacy bounds
      SELECT sex, SUM(claim_cost * 2) FROM claims GROUP BY sex                                   | must aggregate one column by name
      SELECT sex, COUNT(DISTINCT age) FROM claims GROUP BY sex                                   | cannot be released with noise
      SELECT sex, COUNT(*) FROM claims GROUP BY sex HAVING COUNT(*) > 5                          | HAVING
      SELECT sex, COUNT(*) AS n FROM claims GROUP BY sex ORDER BY n DESC                         | ORDER BY an aggregate
      SELECT sex, COUNT(*) FROM claims GROUP BY sex ORDER BY 2                                   | ORDER BY an aggregate
      SELECT c.sex, COUNT(*) FROM claims c JOIN claims d ON c.patient_id = d.patient_id GROUP BY c.sex | joins tables
      SELECT sex, COUNT(*) + 1 FROM claims GROUP BY sex                                          | cannot be released with noise
      """)
  void refusedWithTheReason(String sql, String reason) {
    QueryRefusedException e = assertThrows(QueryRefusedException.class, () -> NoisyQuery.plan(sql, PRIVACY));
    assertTrue(e.getMessage().startsWith("under the owners' privacy budget") && e.getMessage().contains(reason), e.getMessage());
  }
}
