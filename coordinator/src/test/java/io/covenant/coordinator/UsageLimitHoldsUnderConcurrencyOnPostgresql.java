package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.catalogue.PostgresServer;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.event.EventType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 concurrency test ({@link UsageLimitHoldsUnderConcurrency}) with the coordinator's database on PostgreSQL. */
@Tag("postgresql")
class UsageLimitHoldsUnderConcurrencyOnPostgresql {
  @TempDir Path dir;

  @Test
  void fiftyConcurrentSubmissionsAgainstTenUsesAuthoriseExactlyTen() throws Exception {
    var db = PostgresServer.get().freshDatabase();
    try (SmallFederation f = new SmallFederation(dir, 150, false, PostgresServer.spec(db))) {
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
      long authorised = f.deployment.ledger().entries(0, f.deployment.ledger().size()).stream()
          .filter(e -> e.event().event().type() == EventType.JOB_AUTHORIZED).count();
      assertEquals(10, authorised);
      // The usage the database holds is the policy's limit, not more.
      var policy = f.deployment.store().currentPolicy(f.versions.get(0).dataset()).orElseThrow();
      assertEquals(10, f.deployment.store().usage(policy.hash(), HospitalInsurerDemo.INSURER).uses());
    }
  }
}
