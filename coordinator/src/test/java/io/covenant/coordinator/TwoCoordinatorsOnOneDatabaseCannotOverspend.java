package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.catalogue.PostgresServer;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobCoordinator;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: two coordinators on one PostgreSQL database (two stores, two connections, two JVM-level locks) each
 * read "9 uses spent" at the same moment and both authorise the 11th use of a 10-use policy. The database-wide
 * advisory lock makes them take turns, so exactly 10 of 50 racing submissions are authorised.
 */
@Tag("postgresql")
class TwoCoordinatorsOnOneDatabaseCannotOverspend {
  @TempDir Path dir;

  @Test
  void fiftySubmissionsSplitOverTwoCoordinatorsAuthoriseExactlyTen() throws Exception {
    var db = PostgresServer.get().freshDatabase();
    try (SmallFederation f = new SmallFederation(dir, 150, false, PostgresServer.spec(db));
        CoordinatorStore secondStore = CoordinatorStore.open(db)) {
      var hospitalA = HospitalInsurerDemo.HOSPITALS.get(0).org();
      f.deployment.owner(hospitalA).publishPolicy(PolicyVariants.demoPolicyWith(hospitalA, "maxUses", 10));
      JobCoordinator first = f.deployment.coordinator();
      JobCoordinator second = f.deployment.replicaCoordinator(secondStore);
      var insurer = f.deployment.keystore(HospitalInsurerDemo.INSURER).credentials();

      ExecutorService pool = Executors.newFixedThreadPool(16);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<JobOutcome>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        JobCoordinator target = i % 2 == 0 ? first : second;
        futures.add(pool.submit(() -> {
          JobRequest request = new JobRequest(JobId.random(), HospitalInsurerDemo.INSURER, f.versions, Engine.TEE, new Purpose("risk-model"),
              new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
          SignedSubmission signed = SignedSubmission.sign(request, insurer, Instant.now());
          go.await();
          return target.submit(signed.request(), signed.submission());
        }));
      }
      go.countDown();
      List<JobOutcome> outcomes = new ArrayList<>();
      for (Future<JobOutcome> fut : futures) outcomes.add(fut.get());
      pool.shutdown();

      Map<JobState, Long> byState = outcomes.stream().collect(Collectors.groupingBy(JobOutcome::state, Collectors.counting()));
      assertEquals(10L, byState.get(JobState.COMMITTED), byState.toString());
      assertEquals(40L, byState.get(JobState.DENIED), byState.toString());
      var policy = secondStore.currentPolicy(f.versions.get(0).dataset()).orElseThrow();
      assertEquals(10, secondStore.usage(policy.hash(), HospitalInsurerDemo.INSURER).uses());
    }
  }
}
