package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.job.JobState;
import io.covenant.core.event.EventType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: {@code error('x')} raises an error on every row that reaches it, so {@code WHERE age = A AND error('x') IS
 * NULL} fails exactly when someone aged A exists. error() is not on the policy's function list, so both probes are
 * denied by name before any key is released.
 */
class ErrorFunctionCannotSignalMembership {
  @TempDir Path dir;

  @Test
  void errorIsDeniedByNameWhetherOrNotThePersonExists() {
    ObservedOutcome[] o = MembershipProbe.sameOutcome(dir, "SELECT COUNT(*) AS n FROM claims WHERE age = $AGE AND error('x') IS NULL");
    assertEquals(JobState.DENIED, o[0].state());
    assertEquals(EventType.JOB_DENIED, o[0].lastEvent());
    assertEquals(0, o[0].usesDebited());
    assertTrue(o[0].reasons().stream().allMatch(r -> r.contains(": function:ERROR: the query calls ERROR()")), o[0].reasons().toString());
  }
}
