package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: call a function the policy check does not know ({@code md5}, {@code regexp_extract}, ...), whose failure modes
 * nobody reviewed. Functions are allowed from a list; any other is denied, naming it, before any key is released. A
 * function on the list (age_band) still runs.
 */
class FunctionOutsideTheAllowlistIsDenied {
  @TempDir Path dir;

  @Test
  void anUnlistedFunctionIsDeniedByName() {
    try (SmallFederation f = new SmallFederation(dir, 150)) {
      JobOutcome o = f.submit("SELECT sex, COUNT(*) AS n FROM claims WHERE md5(sex) = 'x' GROUP BY sex");
      assertEquals(JobState.DENIED, o.state());
      assertTrue(o.reasons().stream().allMatch(r -> r.contains(": function:MD5: the query calls MD5(), which is not on the list")), o.reasons().toString());
      assertTrue(o.reasons().getFirst().contains("Allowed: AVG, COUNT"), o.reasons().getFirst());

      JobOutcome listed = f.submit("SELECT age_band(age) AS band, COUNT(*) AS n FROM claims GROUP BY 1");
      assertEquals(JobState.COMMITTED, listed.state(), listed.reasons().toString());
    }
  }
}
