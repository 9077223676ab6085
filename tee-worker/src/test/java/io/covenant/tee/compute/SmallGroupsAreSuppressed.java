package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SmallGroupsAreSuppressed {
  private static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new Column("patient_id", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("ward", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER),
      new Column("cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE)));

  private BufferAllocator allocator;
  private EnclaveDatabase db;

  /** Ward A: 10 rows, ward B: 3 rows, ward C: 1 row; loaded in two batches like two owners' partitions. */
  @BeforeEach
  void load() {
    allocator = new RootAllocator();
    db = EnclaveDatabase.open();
    db.createTable("claims", SCHEMA, "partition 1");
    List<Object[]> first = new ArrayList<>();
    List<Object[]> second = new ArrayList<>();
    for (int i = 0; i < 10; i++) (i % 2 == 0 ? first : second).add(new Object[] {"pa-" + i, "A", 100.0 + i});
    for (int i = 0; i < 3; i++) second.add(new Object[] {"pb-" + i, "B", 500.0});
    first.add(new Object[] {"pc-0", "C", 9999.0});
    try (VectorSchemaRoot a = Batches.of(allocator, SCHEMA, first); VectorSchemaRoot b = Batches.of(allocator, SCHEMA, second)) {
      assertEquals(6, db.append("claims", a, "partition 1"));
      db.createTable("claims", SCHEMA, "partition 2");
      assertEquals(8, db.append("claims", b, "partition 2"));
    }
    db.lock();
  }

  @AfterEach
  void close() {
    db.close();
    allocator.close();
  }

  private EnclaveDatabase.ControlledOutput run(String sql, int minCohort) {
    return db.run(AggregateQuery.check(sql, db.tables(), EnclaveDatabase.knownAggregateFunctions()), minCohort);
  }

  @Test
  void groupsBelowTheMinimumAreDroppedAndCounted() {
    EnclaveDatabase.ControlledOutput out = run("SELECT ward, count(*) AS n, sum(cost) AS total FROM claims GROUP BY ward ORDER BY ward", 3);
    assertEquals(List.of("ward", "n", "total"), out.columns(), "the cohort column is removed");
    assertEquals(List.of(List.of("A", 10L, 1045.0), List.of("B", 3L, 1500.0)), out.rows());
    assertEquals(1, out.suppressedGroups());

    EnclaveDatabase.ControlledOutput all = run("SELECT ward, count(*) AS n FROM claims GROUP BY ALL ORDER BY ALL", 3);
    assertEquals(List.of(List.of("A", 10L), List.of("B", 3L)), all.rows());

    EnclaveDatabase.ControlledOutput strict = run("SELECT ward, count(*) AS n FROM claims GROUP BY ward", 4);
    assertEquals(List.of(List.of("A", 10L)), strict.rows());
    assertEquals(2, strict.suppressedGroups());
  }

  @Test
  void aJoinThatRepeatsOneRowCannotInflateItsCohort() {
    // Every row of claims c is paired with all 14 rows of claims d: COUNT(*) for ward C would be 14.
    EnclaveDatabase.ControlledOutput out = run(
        "SELECT c.ward, max(c.cost) AS top, count(*) AS pairs FROM claims c CROSS JOIN claims d GROUP BY c.ward ORDER BY c.ward", 3);
    List<Object> wards = out.rows().stream().map(r -> r.get(0)).toList();
    assertEquals(List.of("A", "B"), wards);
    assertFalse(out.rows().stream().anyMatch(r -> r.get(1).equals(9999.0)), "ward C's single cost must not appear");
    assertEquals(1, out.suppressedGroups());
  }

  @Test
  void anUngroupedAggregateIsOneGroupOfEveryRow() {
    EnclaveDatabase.ControlledOutput out = run("SELECT count(*) AS n, avg(cost) AS mean FROM claims", 14);
    assertEquals(1, out.rows().size());
    assertEquals(14L, out.rows().getFirst().get(0));
    assertEquals(0, run("SELECT count(*) FROM claims", 15).rows().size());
  }

  @Test
  void aConversionThatFailsInsideAnAggregateGivesNullInsteadOfAnError() {
    EnclaveDatabase.ControlledOutput out = run("SELECT ward, sum(CAST(patient_id AS INTEGER)) AS s FROM claims GROUP BY ward ORDER BY ward", 1);
    assertFalse(out.rows().isEmpty());
    for (List<Object> row : out.rows()) assertNull(row.get(1), "every patient_id fails the cast, so every sum is NULL: " + out.rows());
  }

  @Test
  void runtimeErrorsAreOneGenericFailureThatQuotesNothing() {
    // check() alone leaves WHERE unguarded (TeeWorker guards it before running), so the conversion fails on the rows.
    ComputationFailedException x = assertThrows(ComputationFailedException.class,
        () -> run("SELECT ward, count(*) FROM claims WHERE CAST(patient_id AS INTEGER) > 0 GROUP BY ward", 1));
    assertEquals(ComputationFailedException.MESSAGE, x.getMessage());
    assertFalse(x.getMessage().contains("pa-"), x.getMessage());
    assertNull(x.getCause(), "the database's exception, which quotes the value, is not attached");
    QueryRefusedException binder = assertThrows(QueryRefusedException.class, () -> db.describe("SELECT ward, cost FROM claims GROUP BY ward"));
    assertTrue(binder.getMessage().contains("GROUP BY"), binder.getMessage());
  }

  @Test
  void consumerQueriesRunWithoutFileAccessAndCannotChangeThat() {
    EnclaveDatabase.ControlledOutput out = run("""
        SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked,
               current_setting('temp_directory') AS spill, count(*) AS n
        FROM claims GROUP BY external, locked, spill""", 1);
    assertEquals(List.of(List.of(false, true, "", 14L)), out.rows());
  }
}
