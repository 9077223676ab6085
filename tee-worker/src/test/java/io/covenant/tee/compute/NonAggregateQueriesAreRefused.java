package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NonAggregateQueriesAreRefused {
  private static final Set<String> TABLES = Set.of("claims", "policies");
  /** A sample of DuckDB's aggregate names; the real set comes from duckdb_functions(). */
  private static final Set<String> AGGREGATES = Set.of(
      "count", "sum", "avg", "min", "max", "median", "list", "array_agg", "string_agg", "first", "any_value", "arg_max", "histogram");

  private static QueryRefusedException refused(String sql) {
    return assertThrows(QueryRefusedException.class, () -> AggregateQuery.check(sql, TABLES, AGGREGATES), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT patient_id, cost FROM claims",
      "SELECT DISTINCT patient_id FROM claims",
      "SELECT cost * 2 FROM claims WHERE age > 40",
      "SELECT patient_id FROM claims ORDER BY cost DESC LIMIT 1",
  })
  void rowLevelQueriesAreRefusedAsNotAggregates(String sql) {
    assertTrue(refused(sql).getMessage().contains("must be an aggregate"), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM claims",
      "SELECT * FROM claims GROUP BY ALL",
      "SELECT claims.*, count(*) FROM claims GROUP BY ALL",
      "SELECT age, list(patient_id) FROM claims GROUP BY age",
      "SELECT age, string_agg(patient_id, ',') FROM claims GROUP BY age",
      "SELECT age, first(patient_id) FROM claims GROUP BY age",
      "SELECT age, any_value(patient_id) FROM claims GROUP BY age",
      "SELECT age, arg_max(patient_id, cost) FROM claims GROUP BY age",
      "SELECT age, max(cost, 5) FROM claims GROUP BY age",
      "SELECT age, count(*), row_number() OVER (ORDER BY age) FROM claims GROUP BY age",
      "SELECT age, count(*) FROM claims GROUP BY age QUALIFY rank() OVER (ORDER BY age) = 1",
      "SELECT age, count(*), (SELECT max(patient_id) FROM claims) FROM claims GROUP BY age",
      "SELECT age, count(*) FROM claims WHERE patient_id IN (SELECT patient_id FROM claims) GROUP BY age",
      "SELECT age, count(*) FROM claims WHERE EXISTS (SELECT 1 FROM claims c2) GROUP BY age",
      "SELECT age, sum(CASE WHEN cost > (SELECT avg(cost) FROM claims) THEN 1 ELSE 0 END) FROM claims GROUP BY age",
      "SELECT x, count(*) FROM (SELECT age AS x FROM claims) GROUP BY x",
      "WITH c AS (SELECT * FROM claims) SELECT age, count(*) FROM c GROUP BY age",
      "SELECT age, count(*) FROM claims GROUP BY age UNION SELECT age, count(*) FROM claims GROUP BY age",
      "SELECT count(*) FROM read_csv('/etc/passwd')",
      "SELECT count(*) FROM other_table",
      "SELECT count(*) FROM main.claims",
      "SELECT count(*)",
      "SELECT count(*) AS __covenant_cohort_0 FROM claims",
      "SELECT count(*) FROM claims; DROP TABLE claims",
      "DELETE FROM claims",
      "this is not sql",
  })
  void otherwiseLeakyQueriesAreRefused(String sql) {
    refused(sql);
  }

  @Test
  void aggregatesAreAcceptedAndGainOneCohortColumnPerTableReference() {
    AggregateQuery single = AggregateQuery.check(
        "SELECT age_band(age) AS band, count(*) AS n, avg(cost) FROM claims GROUP BY band ORDER BY band", TABLES, AGGREGATES);
    assertEquals(1, single.cohortColumns());
    assertTrue(single.sql().contains("count(DISTINCT claims.rowid) AS __covenant_cohort_0"), single.sql());

    AggregateQuery joined = AggregateQuery.check(
        "SELECT p.plan, sum(c.cost) FROM claims c JOIN policies p ON c.patient_id = p.patient_id GROUP BY p.plan", TABLES, AGGREGATES);
    assertEquals(2, joined.cohortColumns());
    assertTrue(joined.sql().contains("count(DISTINCT c.rowid)") && joined.sql().contains("count(DISTINCT p.rowid)"), joined.sql());

    assertDoesNotThrow(() -> AggregateQuery.check("SELECT count(*), sum(cost) FROM claims WHERE age > 40", TABLES, AGGREGATES));
    assertDoesNotThrow(() -> AggregateQuery.check("SELECT age, sex FROM claims GROUP BY age, sex", TABLES, AGGREGATES));
    assertDoesNotThrow(() -> AggregateQuery.check("SELECT age, median(cost) FROM claims GROUP BY ROLLUP (age);", TABLES, AGGREGATES));
  }

  @Test
  void theStatementCountIsNotFooledByStringLiterals() {
    assertEquals(1, AggregateQuery.selectKeywords("SELECT count(*) FROM claims WHERE note = 'select me' AND \"select\" = 1"));
    assertEquals(2, AggregateQuery.selectKeywords("SELECT (SELECT 1) FROM claims"));
  }
}
