package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.job.JobState;
import io.covenant.core.event.EventType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: {@code 100 / (age - A)} divides by zero for someone aged A; DuckDB gives infinity, and converting that to an
 * integer fails, so the job fails exactly when that person exists. Division by anything but a positive constant is
 * denied (rule {@code division}, beside {@code cast}), the same way for both probes.
 */
class DivisionByZeroCannotSignalMembership {
  @TempDir Path dir;

  @Test
  void divisionByADataValueIsDeniedWhetherOrNotThePersonExists() {
    ObservedOutcome[] o = MembershipProbe.sameOutcome(dir,
        "SELECT COUNT(*) AS n FROM claims WHERE age = $AGE AND CAST(100 / (age - $PRESENT) AS INTEGER) = 0");
    assertEquals(JobState.DENIED, o[0].state());
    assertEquals(EventType.JOB_DENIED, o[0].lastEvent());
    assertEquals(0, o[0].usesDebited());
    assertTrue(o[0].reasons().stream().anyMatch(r -> r.contains(": division: the query divides by")), o[0].reasons().toString());
  }
}
