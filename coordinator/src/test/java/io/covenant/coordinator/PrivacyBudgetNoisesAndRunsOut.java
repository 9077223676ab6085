package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.codec.Json;
import io.covenant.tee.compute.ResultTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy with a differential-privacy budget: answers come back noised inside the enclave, each job spends
 * epsilonPerQuery in the same transaction that authorises it, and once the budget is spent the job is denied naming
 * the rule.
 */
class PrivacyBudgetNoisesAndRunsOut {
  @TempDir Path dir;
  private static final String SQL = "SELECT sex, COUNT(*) AS claims, SUM(length_of_stay) AS days FROM claims GROUP BY sex";

  @Test
  void twoNoisedAnswersThenTheBudgetIsSpent() {
    try (SmallFederation f = new SmallFederation(dir, 400, true)) { // first exact (the owners opted out), then budgeted
      JobOutcome exact = f.submit(SQL);
      assertEquals(JobState.COMMITTED, exact.state(), exact.reasons().toString());
      ResultTable exactTable = f.deployment.consumer(HospitalInsurerDemo.INSURER).result(exact.job());

      for (var h : HospitalInsurerDemo.HOSPITALS) {
        f.deployment.owner(h.org()).publishPolicy(PolicyVariants.demoPolicyWith(h.org(), "privacy", Json.obj(
            "epsilonPerQuery", new java.math.BigDecimal("0.5"), "epsilonTotal", new java.math.BigDecimal("1.0"),
            "bounds", Json.obj("length_of_stay", List.of(0, 60), "claim_cost", List.of(0, 200000)))));
      }
      JobOutcome first = f.submit(SQL);
      JobOutcome second = f.submit(SQL);
      assertEquals(JobState.COMMITTED, first.state(), first.reasons().toString());
      assertEquals(JobState.COMMITTED, second.state(), second.reasons().toString());
      ResultTable noised = f.deployment.consumer(HospitalInsurerDemo.INSURER).result(first.job());
      assertEquals(exactTable.columns(), noised.columns());
      assertNotEquals(exactTable.rows(), noised.rows(), "a budgeted answer is noised");

      JobOutcome third = f.submit(SQL);
      assertEquals(JobState.DENIED, third.state());
      assertTrue(third.reasons().stream().anyMatch(r -> r.contains("privacy-budget")), third.reasons().toString());
    }
  }
}
