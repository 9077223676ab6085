package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.job.JobState;
import io.covenant.core.event.EventType;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: {@code CAST(age - 100 AS UTINYINT)} fails for anyone under 100, but only if a row reaches it. Aimed with
 * {@code WHERE age = A}, a job that fails says "someone aged A exists", past the cohort rule and the noise. The policy
 * refuses CAST on data (rule {@code cast}) whether or not such a person exists; TRY_CAST, which gives NULL instead of
 * failing, runs, and both probes commit and are debited alike.
 */
class NarrowingCastCannotSignalMembership {
  @TempDir Path dir;

  @Test
  void castIsDeniedTheSameWayWhetherOrNotThePersonExists() {
    ObservedOutcome[] o = MembershipProbe.sameOutcome(dir,
        "SELECT COUNT(*) AS n FROM claims WHERE age = $AGE AND CAST(age - 100 AS UTINYINT) = 0");
    assertEquals(JobState.DENIED, o[0].state());
    assertEquals(EventType.JOB_DENIED, o[0].lastEvent());
    assertEquals(0, o[0].usesDebited());
    assertTrue(o[0].reasons().stream().allMatch(r -> r.contains(": cast: ")), o[0].reasons().toString());
  }

  @Test
  void tryCastCommitsAndIsDebitedTheSameWayWhetherOrNotThePersonExists() {
    ObservedOutcome[] o = MembershipProbe.sameOutcome(dir.resolve("try"),
        "SELECT COUNT(*) AS n FROM claims WHERE age = $AGE AND TRY_CAST(age - 100 AS UTINYINT) = 0");
    assertEquals(JobState.COMMITTED, o[0].state(), o[0].reasons().toString());
    assertEquals(EventType.RESULT_COMMITTED, o[0].lastEvent());
    assertEquals(3, o[0].usesDebited(), "one use of each hospital's policy");
    assertEquals(new BigDecimal("3"), o[0].epsilonDebited(), "epsilon 1 of each hospital's budget");
  }
}
