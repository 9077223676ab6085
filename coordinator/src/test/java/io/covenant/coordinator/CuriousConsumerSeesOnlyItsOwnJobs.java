package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.client.ApiException;
import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.client.JobOutcomeView;
import io.covenant.coordinator.client.JobView;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over mutual TLS a consumer sees only its own jobs: insurer-y, a member in good standing, does not find insurer-x's
 * job in the list, and is refused its status, its trail and its sealed result (403). The owner of the job's dataset
 * sees the job but not the result; the owner of another dataset sees nothing; an auditor sees every job.
 */
class CuriousConsumerSeesOnlyItsOwnJobs {
  @TempDir static Path dir;
  static TlsConsortium consortium;
  static JobId job;

  @BeforeAll
  static void start() {
    consortium = new TlsConsortium(dir);
    var insurer = consortium.credentials(TlsConsortium.INSURER_X);
    JobOutcomeView o = client(TlsConsortium.INSURER_X).submit(new JobRequest(JobId.random(), TlsConsortium.INSURER_X, List.of(consortium.versions.get(0)),
        Engine.TEE, new Purpose("risk-model"), new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL)), insurer);
    assertEquals("COMMITTED", o.state(), o.reasons().toString());
    job = o.job();
  }

  @AfterAll
  static void stop() {
    consortium.close();
  }

  static CoordinatorClient client(OrgId org) {
    return CoordinatorClient.of(URI.create(consortium.base), consortium.member(org));
  }

  private static List<JobId> listed(OrgId org) {
    return CoordinatorClient.all(client(org)::jobs).stream().map(JobView::job).toList();
  }

  private static void forbidden(Runnable call, String... mentions) {
    ApiException e = assertThrows(ApiException.class, call::run);
    assertEquals(403, e.status(), e.getMessage());
    for (String m : mentions) assertTrue(e.getMessage().contains(m), e.getMessage());
  }

  @Test
  void theConsumerSeesAndOpensItsOwnJob() {
    assertEquals(List.of(job), listed(TlsConsortium.INSURER_X));
    assertEquals("COMMITTED", client(TlsConsortium.INSURER_X).job(job).state());
    assertFalse(client(TlsConsortium.INSURER_X).result(job, consortium.credentials(TlsConsortium.INSURER_X)).rows().isEmpty());
  }

  @Test
  void anotherConsumerSeesNothingOfIt() {
    CoordinatorClient curious = client(TlsConsortium.INSURER_Y);
    assertEquals(List.of(), listed(TlsConsortium.INSURER_Y));
    forbidden(() -> curious.job(job), "insurer-y may not see job " + job);
    forbidden(() -> curious.trail(job));
    forbidden(() -> curious.result(job, consortium.credentials(TlsConsortium.INSURER_Y)));
  }

  @Test
  void theDatasetsOwnerSeesTheJobButNotTheResultAndAnotherOwnerNothing() {
    assertEquals(List.of(job), listed(TlsConsortium.HOSPITAL_A));
    assertEquals(job, client(TlsConsortium.HOSPITAL_A).job(job).job());
    forbidden(() -> client(TlsConsortium.HOSPITAL_A).result(job, consortium.credentials(TlsConsortium.HOSPITAL_A)), "insurer-x");
    assertEquals(List.of(), listed(TlsConsortium.HOSPITAL_B));
    forbidden(() -> client(TlsConsortium.HOSPITAL_B).job(job));
  }

  @Test
  void anAuditorSeesEveryJobAndReadsTheLedger() throws Exception {
    assertEquals(List.of(job), listed(TlsConsortium.AUDITOR));
    assertFalse(client(TlsConsortium.AUDITOR).trail(job).isEmpty());
    var entries = TlsConsortium.get(consortium.member(TlsConsortium.AUDITOR), consortium.base + "/ledger/entries");
    assertEquals(200, entries.statusCode(), entries.body());
  }
}
