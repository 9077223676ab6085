package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.event.EventType;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageLimitHoldsUnderConcurrency {
  @TempDir Path dir;

  @Test
  void fiftyConcurrentSubmissionsAgainstTenUsesAuthoriseExactlyTen() throws Exception {
    try (SmallFederation f = new SmallFederation(dir, 150)) {
      var hospitalA = HospitalInsurerDemo.HOSPITALS.get(0).org();
      f.deployment.owner(hospitalA).publishPolicy(PolicyVariants.demoPolicyWith(hospitalA, "maxUses", 10));
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<JobOutcome>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) futures.add(pool.submit(() -> f.submit(HospitalInsurerDemo.STATISTICS_SQL)));
      List<JobOutcome> outcomes = new ArrayList<>();
      for (Future<JobOutcome> fut : futures) outcomes.add(fut.get());
      pool.shutdown();

      Map<JobState, Long> byState = outcomes.stream().collect(Collectors.groupingBy(JobOutcome::state, Collectors.counting()));
      assertEquals(10L, byState.get(JobState.COMMITTED), byState.toString());
      assertEquals(40L, byState.get(JobState.DENIED), byState.toString());
      for (JobOutcome o : outcomes) {
        if (o.state() == JobState.DENIED) {
          assertTrue(o.reasons().stream().anyMatch(r -> r.contains("hospital-a/claims@1: max-uses")), o.reasons().toString());
        }
      }
      long authorised = f.deployment.ledger().entries(0, f.deployment.ledger().size()).stream()
          .filter(e -> e.event().event().type() == EventType.JOB_AUTHORIZED).count();
      assertEquals(10, authorised);
      f.deployment.ledger().checkpoint();
      assertTrue(LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(f.deployment.ledgerDir())).ok());
    }
  }

  @Test
  void usageSurvivesARestart() {
    var hospitalA = HospitalInsurerDemo.HOSPITALS.get(0).org();
    try (SmallFederation f = new SmallFederation(dir, 100)) {
      f.deployment.owner(hospitalA).publishPolicy(PolicyVariants.demoPolicyWith(hospitalA, "maxUses", 2));
      assertEquals(JobState.COMMITTED, f.submit(HospitalInsurerDemo.STATISTICS_SQL).state());
    }
    try (var d = io.covenant.coordinator.deployment.LocalDeployment.open(dir)) {
      Function<String, JobOutcome> submit = sql -> d.consumer(HospitalInsurerDemo.INSURER).submit(
          d.store().datasets().stream().filter(r -> r.version().version() == 1).map(r -> r.version()).toList(),
          io.covenant.core.job.Engine.TEE, new io.covenant.core.id.Purpose("risk-model"), new io.covenant.core.job.Computation.SqlQuery(sql));
      assertEquals(JobState.COMMITTED, submit.apply(HospitalInsurerDemo.STATISTICS_SQL).state());
      JobOutcome third = submit.apply(HospitalInsurerDemo.STATISTICS_SQL);
      assertEquals(JobState.DENIED, third.state());
      assertTrue(third.reasons().toString().contains("max-uses"), third.reasons().toString());
    }
  }
}
