package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.tee.fixture.ThreeHospitals;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defence in depth behind the policy's function list: even a query the policy check would refuse cannot fail inside the
 * enclave because one record exists. Each probe is aimed once at an age some patient has and once at an age nobody
 * has; the worker either refuses both before any key is released, or runs both to the same shape of result. Risky
 * expressions run under DuckDB's TRY(), which gives NULL where they would raise an error.
 */
class EnclaveQueriesCannotFailOnOneRecord {
  @TempDir Path dir;

  private record Observed(boolean refused, long rows, long suppressed) {}

  private static Observed run(ThreeHospitals world, String sql) {
    try {
      SealedResult r = new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(world.authorisedJob(sql));
      return new Observed(false, r.rows(), r.suppressedGroups());
    } catch (QueryRefusedException e) {
      return new Observed(true, 0, 0);
    }
  }

  private static void sameOutcome(ThreeHospitals world, String template, boolean expectRefused) {
    long present = world.allRows().stream().mapToLong(r -> (Long) r[1]).filter(a -> a >= 90 && a < 100).findFirst().orElseThrow();
    assertTrue(world.allRows().stream().noneMatch(r -> (Long) r[1] == 150L));
    Observed exists = run(world, template.replace("$AGE", Long.toString(present)));
    Observed absent = run(world, template.replace("$AGE", "150"));
    assertEquals(absent, exists, "the outcome tells whether a patient aged " + present + " exists");
    assertEquals(expectRefused, exists.refused(), exists.toString());
  }

  @Test
  void aNarrowingCastInWhereGivesNullNotAFailure() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      sameOutcome(world, "SELECT count(*) AS n FROM claims WHERE age = $AGE AND CAST(age - 100 AS UTINYINT) = 0", false);
    }
  }

  @Test
  void anOverflowInsideAnAggregateGivesNullNotAFailure() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      sameOutcome(world, "SELECT sex, sum(CASE WHEN age = $AGE THEN age * 1000000000000000000 ELSE 0 END) AS s FROM claims GROUP BY sex", false);
    }
  }

  @Test
  void aDivisionByZeroConvertedToAnIntegerGivesNullNotAFailure() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      sameOutcome(world, "SELECT count(*) AS n FROM claims WHERE age = $AGE AND CAST(100 / (age - $AGE) AS INTEGER) = 0", false);
    }
  }

  @Test
  void errorIsRefusedBeforeAnyKeyWhetherOrNotThePersonExists() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      sameOutcome(world, "SELECT count(*) AS n FROM claims WHERE age = $AGE AND error('x') IS NULL", true);
      QueryRefusedException x = assertThrows(QueryRefusedException.class, () -> new TeeWorker(world.consortium.provider,
          world.consortium.blockstore).run(world.authorisedJob("SELECT count(*) AS n FROM claims WHERE age = 150 AND error('x') IS NULL")));
      assertTrue(x.getMessage().contains("volatile"), x.getMessage());
    }
  }

  @Test
  void groupKeysKeepTheirNamesUnderTry() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      TeeJob job = world.authorisedJob("SELECT age_band(age), count(*) AS n FROM claims GROUP BY age_band(age) ORDER BY age_band(age)");
      SealedResult r = new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(job);
      ResultTable t = ResultTable.open(r.sealed(), world.consortium.consumerKeys(), job.request().id());
      assertEquals(List.of("age_band(age)", "n"), t.columns());
    }
  }
}
