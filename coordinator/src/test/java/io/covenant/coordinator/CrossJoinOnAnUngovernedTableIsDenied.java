package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: join a table no policy of the job governs. The policy layer used to leave other tables "to their own
 * policies", so the job was authorised (and debited) and only the worker stopped it. Now every table in FROM must be one
 * of the job's datasets, checked by each owner's policy, and the denial names the table.
 */
class CrossJoinOnAnUngovernedTableIsDenied {
  @TempDir Path dir;

  @Test
  void theDenialNamesTheTableAndNothingRuns() {
    try (SmallFederation f = new SmallFederation(dir, 150)) {
      JobOutcome o = f.submit("SELECT COUNT(*) AS n FROM claims CROSS JOIN secrets");
      assertEquals(JobState.DENIED, o.state(), o.reasons().toString());
      assertEquals(3, o.reasons().stream().filter(r -> r.contains(": table:secrets: the query reads table secrets, which is not one of the job's datasets")).count(),
          "each hospital's policy names the table: " + o.reasons());
      assertTrue(f.deployment.ledger().entriesForJob(o.job()).stream()
          .noneMatch(e -> e.event().event().type() == io.covenant.core.event.EventType.JOB_AUTHORIZED));
    }
  }
}
