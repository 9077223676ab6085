package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: {@code MAX(claim_cost)} over a cohort of 20 passes the minimum cohort of 10, yet its answer is one patient's
 * claim cost, exactly. An order statistic of a sensitive column is refused unless the policy sets
 * {@code privacy.orderStatistics}: under the demo's policies (a budget) and under a policy that opts out of the budget.
 */
class MaxOverACohortOfTwentyIsRefused {
  @TempDir Path dir;

  private static String maxOverTwenty(SmallFederation f) {
    List<LocalDate> days = f.plaintext().stream().map(SmallFederation.Claim::admitted).sorted().toList();
    LocalDate from = days.get(100);
    LocalDate to = days.get(119); // 20 admissions from the 101st on, and any others on the same days
    long cohort = days.stream().filter(d -> !d.isBefore(from) && !d.isAfter(to)).count();
    assertTrue(cohort >= 20 && cohort < 40, "a cohort of about 20, got " + cohort);
    return "SELECT MAX(claim_cost) AS top FROM claims WHERE admission_date BETWEEN DATE '" + from + "' AND DATE '" + to + "'";
  }

  @Test
  void refusedUnderTheDemoPolicy() {
    try (SmallFederation f = new SmallFederation(dir, 300)) {
      JobOutcome o = f.submit(maxOverTwenty(f));
      assertEquals(JobState.DENIED, o.state());
      assertTrue(o.reasons().stream().anyMatch(r -> r.contains(": privacy:order-statistics: MAX(claim_cost) returns one record's value")),
          o.reasons().toString());
    }
  }

  @Test
  void refusedUnderAnExactPolicyThatDoesNotAllowOrderStatistics() {
    try (SmallFederation f = new SmallFederation(dir, 300, true)) {
      JobOutcome o = f.submit(maxOverTwenty(f));
      assertEquals(JobState.DENIED, o.state());
      assertTrue(o.reasons().stream().allMatch(r -> r.contains(": privacy:order-statistics: MAX(claim_cost)")), o.reasons().toString());
    }
  }
}
