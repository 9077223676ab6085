package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQL analysts write (a join of two owners' tables on a pseudonymous key, HAVING, CASE inside an aggregate,
 * DATE_TRUNC and EXTRACT) passes the worker's check and computes what a plain computation over the same rows gives,
 * with the cohort rule applied per joined group.
 */
class AnalystSqlRunsInTheEnclave {
  private static final DatasetSchema CLAIMS = new DatasetSchema(List.of(
      new Column("member_key", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE),
      new Column("admitted", ColumnType.DATE, Sensitivity.QUASI_IDENTIFIER)));
  private static final DatasetSchema POLICIES = new DatasetSchema(List.of(
      new Column("member_key", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("tier", ColumnType.STRING, Sensitivity.PUBLIC)));

  private BufferAllocator allocator;
  private EnclaveDatabase db;

  /** 12 members: 8 gold, 4 silver; each has one claim, costs 100..1200, admitted in January (1-6) or March (7-12). */
  @BeforeEach
  void load() {
    allocator = new RootAllocator();
    db = EnclaveDatabase.open();
    db.createTable("claims", CLAIMS, "hospital-a/claims@1");
    db.createTable("policies", POLICIES, "insurer-x/policies@1");
    List<Object[]> claims = new ArrayList<>();
    List<Object[]> policies = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      claims.add(new Object[] {"m" + i, 100.0 * i, LocalDate.of(2025, i <= 6 ? 1 : 3, i)});
      policies.add(new Object[] {"m" + i, i <= 8 ? "gold" : "silver"});
    }
    try (VectorSchemaRoot c = Batches.of(allocator, CLAIMS, claims); VectorSchemaRoot p = Batches.of(allocator, POLICIES, policies)) {
      db.append("claims", c, "hospital-a/claims@1");
      db.append("policies", p, "insurer-x/policies@1");
    }
    db.lock();
  }

  @AfterEach
  void close() {
    db.close();
    allocator.close();
  }

  private List<List<Object>> run(String sql, int minCohort) {
    return db.run(AggregateQuery.check(sql, db.tables(), EnclaveDatabase.knownAggregateFunctions()), minCohort).rows();
  }

  @Test
  void aJoinOfTwoOwnersTablesOnTheirKey() {
    List<List<Object>> rows = run(
        "SELECT p.tier, count(*) AS n, sum(c.cost) AS cost FROM claims c JOIN policies p ON c.member_key = p.member_key GROUP BY p.tier ORDER BY p.tier", 3);
    assertEquals(List.of(List.of("gold", 8L, 3600.0), List.of("silver", 4L, 4200.0)), rows);
    assertEquals(List.of(List.of("gold", 8L)), run(
        "SELECT p.tier, count(*) FROM claims c JOIN policies p ON c.member_key = p.member_key GROUP BY p.tier ORDER BY p.tier", 5),
        "the silver group (4 members) is under a cohort of 5");
  }

  @Test
  void havingOnAnAggregate() {
    assertEquals(List.of(List.of("silver", 1050.0)), run(
        "SELECT p.tier, avg(c.cost) FROM claims c JOIN policies p ON c.member_key = p.member_key GROUP BY p.tier HAVING avg(c.cost) > 500", 3));
  }

  @Test
  void caseInsideAnAggregate() {
    assertEquals(List.of(List.of(6L, 2100.0)), run(
        "SELECT sum(CASE WHEN cost > 600 THEN 1 ELSE 0 END) AS expensive, sum(CASE WHEN admitted < DATE '2025-02-01' THEN cost END) AS january FROM claims", 3));
  }

  @Test
  void dateTruncAndExtract() {
    assertEquals(List.of(List.of(LocalDate.of(2025, 1, 1), 6L), List.of(LocalDate.of(2025, 3, 1), 6L)), run(
        "SELECT date_trunc('month', admitted) AS month, count(*) FROM claims GROUP BY 1 ORDER BY 1", 3));
    assertEquals(List.of(List.of(1L, 6L), List.of(3L, 6L)), run(
        "SELECT EXTRACT(MONTH FROM admitted) AS m, count(*) FROM claims GROUP BY 1 ORDER BY 1", 3));
  }
}
