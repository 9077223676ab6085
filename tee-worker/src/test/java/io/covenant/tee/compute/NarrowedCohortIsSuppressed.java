package io.covenant.tee.compute;

import io.covenant.policy.OutputControls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A WHERE on released quasi-identifiers (age 97, sex f) that leaves one person: the policy permits the SQL
 * (policies' NarrowingToOnePersonByQuasiIdentifiers), and the enclave withholds the one-person result. Under a
 * budget the noisy count decides: a one-person cohort is released almost never, and a cohort of exactly the minimum
 * is released about half the time, as the noise falls.
 */
class NarrowedCohortIsSuppressed {
  private static final String ONE_PERSON = "SELECT COUNT(*), AVG(claim_cost) FROM claims WHERE age = 97 AND sex = 'f'";
  private static final String TEN_PEOPLE = "SELECT COUNT(*), AVG(claim_cost) FROM claims WHERE age = 50 AND sex = 'm'";

  private static PrivateTable table() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) rows.add(new Object[] {"p-" + i, 30 + i % 10, i % 2 == 0 ? "f" : "m", 2000.0 + i});
    for (int i = 0; i < 10; i++) rows.add(new Object[] {"q-" + i, 50, "m", 5000.0});
    rows.add(new Object[] {"p-target", 97, "f", 88_000.0});
    return new PrivateTable(rows);
  }

  @Test
  void exactResultIsWithheld() {
    try (PrivateTable t = table()) {
      EnclaveDatabase.ControlledOutput out = t.exact(ONE_PERSON, 10);
      assertEquals(0, out.rows().size());
      assertEquals(1, out.suppressedGroups());
      assertEquals(1, t.exact(TEN_PEOPLE, 10).rows().size());
    }
  }

  @Test
  void underABudgetTheNoisyCountDecides() {
    OutputControls.Privacy privacy = PrivateTable.privacy("1");
    int onePersonReleased = 0;
    int tenReleased = 0;
    int runs = 400;
    try (PrivateTable t = table()) {
      for (int i = 0; i < runs; i++) {
        EnclaveDatabase.ControlledOutput one = t.noisy(ONE_PERSON, 10, privacy);
        assertEquals(1, one.rows().size() + one.suppressedGroups());
        onePersonReleased += one.rows().size();
        EnclaveDatabase.ControlledOutput ten = t.noisy(TEN_PEOPLE, 10, privacy);
        tenReleased += ten.rows().size();
        for (List<Object> row : ten.rows()) assertTrue((Long) row.get(0) >= 10, "a released group's noisy count is at least the minimum");
      }
    }
    // COUNT(*) and AVG(claim_cost) are three measurements (rows, count and clamped sum of claim_cost) sharing epsilon 1,
    // so the row count gets discrete Laplace noise with alpha = exp(-1/3), and P(noise >= k) = alpha^k / (1 + alpha).
    // A one-person group is released when 1 + noise >= 10: p = alpha^9 / (1 + alpha), about 2.9%. The bound is six
    // standard deviations above the binomial mean (a false failure about once in 10^9 runs) and still far below the
    // 100% of an exact release.
    double alpha = Math.exp(-1.0 / 3);
    double p = Math.pow(alpha, 9) / (1 + alpha);
    double bound = runs * p + 6 * Math.sqrt(runs * p * (1 - p));
    assertTrue(onePersonReleased <= bound && bound < runs / 10.0, onePersonReleased + " of " + runs + " one-person results released (bound " + bound + ")");
    // A ten-person group is released when noise >= 0: probability 1 / (1 + alpha), about 58%.
    assertTrue(tenReleased > runs / 4 && tenReleased < runs * 9 / 10, tenReleased + " of " + runs + " ten-person results released");
  }
}
