package io.covenant.tee.compute;

import io.covenant.policy.OutputControls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.Policy;
import io.covenant.tee.fixture.Consortium;
import io.covenant.tee.fixture.ThreeHospitals;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the worker: the three hospitals' policies carry privacy budgets with different epsilons and
 * bounds; the job's controls take the strictest of each; the consumer opens noisy counts, sums and averages that are
 * close to, but not, the exact ones.
 */
class NoisyStatisticsLeaveTheEnclaveUnderABudget {
  @TempDir Path dir;

  private static Policy withBudget(Policy p, String epsilon, String upper) {
    Policy.PrivacyBudget b = new Policy.PrivacyBudget(new BigDecimal(epsilon), BigDecimal.TEN,
        Map.of("cost", new Policy.Bounds(BigDecimal.ZERO, new BigDecimal(upper))));
    return new Policy(p.id(), p.dataset(), p.assignees(), p.purposes(), p.engines(), p.tee(), p.validFrom(), p.validUntil(),
        p.minCohort(), p.columns(), p.defaultColumnRule(), p.approval(), p.maxUses(), p.obligations(), p.consent(), java.util.Optional.of(b));
  }

  @Test
  void countsSumsAndAveragesAreNoisedWithTheStrictestTerms() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      List<Policy> policies = world.consortium.owners.values().stream()
          .flatMap(o -> o.policies.values().stream()).toList();
      List<Policy> budgeted = List.of(withBudget(policies.get(0), "2", "50000"), withBudget(policies.get(1), "1.5", "80000"),
          withBudget(policies.get(2), "3", "60000"));
      OutputControls controls = OutputControls.forPolicies(budgeted);
      assertEquals(world.minCohort, controls.minCohort());
      assertEquals(new BigDecimal("1.5"), controls.privacy().orElseThrow().epsilon());
      assertEquals(new Policy.Bounds(BigDecimal.ZERO, new BigDecimal("50000")), controls.privacy().orElseThrow().bounds().get("cost"));

      String sql = "SELECT sex, COUNT(*) AS n, SUM(cost) AS total, AVG(cost) AS mean FROM claims GROUP BY sex ORDER BY sex";
      TeeJob exactJob = world.authorisedJob(sql);
      TeeWorker worker = new TeeWorker(world.consortium.provider, world.consortium.blockstore);
      ResultTable exact = ResultTable.open(worker.run(exactJob).sealed(), world.consortium.consumerKeys(), exactJob.request().id());
      // The owners now publish the budgeted policies; the next job is authorised, and its keys released, under them.
      List<Consortium.Owner> owners = List.copyOf(world.consortium.owners.values());
      for (Policy p : budgeted) {
        world.consortium.publishPolicy(owners.stream().filter(o -> o.policies.containsKey(p.dataset())).findFirst().orElseThrow(), p);
      }
      TeeJob noisyJob = world.authorisedJob(sql);
      assertEquals(controls, noisyJob.controls());
      ResultTable noisy = ResultTable.open(worker.run(noisyJob).sealed(), world.consortium.consumerKeys(), noisyJob.request().id());

      assertEquals(List.of("sex", "n", "total", "mean"), noisy.columns());
      assertEquals(exact.rows().size(), noisy.rows().size());
      boolean anyDifferent = false;
      for (int i = 0; i < exact.rows().size(); i++) {
        List<Object> e = exact.rows().get(i);
        List<Object> n = noisy.rows().get(i);
        assertEquals(e.get(0), n.get(0));
        long count = ((Number) e.get(1)).longValue();
        // Three measurements share epsilon 1.5: count noise scale 2, sum noise scale 50000*3/1.5 = 100000.
        assertEquals(count, ((Number) n.get(1)).longValue(), 60.0);
        double total = ((BigDecimal) n.get(2)).doubleValue();
        assertEquals(Math.min(((Number) e.get(2)).doubleValue(), 50_000.0 * count), total, 3_000_000.0);
        double mean = (Double) n.get(3);
        assertTrue(mean >= 0 && mean <= 50_000, "mean " + mean);
        anyDifferent |= ((Number) n.get(1)).longValue() != count || total != ((Number) e.get(2)).doubleValue();
      }
      assertTrue(anyDifferent, "noise changed nothing");
    }
  }
}
