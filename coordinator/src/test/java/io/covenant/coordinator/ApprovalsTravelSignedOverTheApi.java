package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.client.JobOutcomeView;
import io.covenant.coordinator.client.LocalKeys;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.codec.Json;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job held for hospital-a's approval: the owner approves with 'job approve --server' (signed on its side), or rejects
 * with the body './covenant sign approval' prints, sent as plain HTTP. The sign command never makes keys for a typo.
 */
class ApprovalsTravelSignedOverTheApi {
  @TempDir static Path dir;
  @TempDir static Path elsewhere;
  static ApiServer api;
  static final List<DatasetVersion> versions = new ArrayList<>();

  @BeforeAll
  static void start() {
    try (SmallFederation f = new SmallFederation(dir, 200)) {
      versions.addAll(f.versions);
      String policy = Json.parseObject(HospitalInsurerDemo.policyFor(OrgId.of("hospital-a"))).encode()
          .replace("\"required\":false", "\"required\":true").replace("-statistics\"", "-statistics-approved\"");
      f.deployment.owner(OrgId.of("hospital-a")).publishPolicy(policy);
    }
    api = new ApiServer(dir);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static JobOutcomeView awaitingJob(CoordinatorClient client) {
    var insurer = LocalKeys.of(dir, HospitalInsurerDemo.INSURER);
    JobOutcomeView o = client.submit(new JobRequest(JobId.random(), insurer.org(), versions, Engine.TEE, new Purpose("risk-model"),
        new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL)), insurer);
    assertEquals("AWAITING_APPROVAL", o.state(), o.reasons().toString());
    return o;
  }

  @Test
  void theOwnerApprovesWithTheCliInServerMode() {
    CoordinatorClient client = CoordinatorClient.of(api.base);
    JobOutcomeView waiting = awaitingJob(client);
    CliRun notOwner = CliRun.of(dir, "job", "approve", waiting.job().value(), "--as", "hospital-b-typo", "--server", api.base);
    assertEquals(1, notOwner.exit());
    assertTrue(notOwner.err().contains("owns no dataset"), notOwner.err());
    CliRun approved = CliRun.of(dir, "job", "approve", waiting.job().value(), "--as", "hospital-a", "--server", api.base);
    assertEquals(0, approved.exit(), approved.out() + approved.err());
    assertTrue(approved.out().contains("COMMITTED"), approved.out());
    assertEquals("COMMITTED", client.job(waiting.job()).state());
  }

  @Test
  void theSignedRejectionIsPostedAsPlainHttp() {
    CoordinatorClient client = CoordinatorClient.of(api.base);
    JobOutcomeView waiting = awaitingJob(client);
    CliRun signed = CliRun.of(dir, "sign", "approval", waiting.job().value(), "--as", "hospital-a", "--dataset", "hospital-a/claims",
        "--reject", "--note", "not this quarter");
    assertEquals(0, signed.exit(), signed.err());
    var r = api.postJson("/jobs/" + waiting.job() + "/approvals", signed.out().strip());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("DENIED", Json.parseObject(r.body()).string("state"));
    assertTrue(r.body().contains("not this quarter"), r.body());
    // The same signed decision again: the owner decides once per job.
    assertEquals(409, api.postJson("/jobs/" + waiting.job() + "/approvals", signed.out().strip()).statusCode());
  }

  @Test
  void signingNeedsTheOrganisationsOwnKeystoreAndExactVersions() throws Exception {
    Path job = elsewhere.resolve("job.json");
    Files.writeString(job, """
        {"consumer": "insurer-x", "purpose": "risk-model", "engine": "tee", "datasets": ["hospital-a/claims"], "sql": "SELECT 1"}""");
    CliRun noVersion = CliRun.of(dir, "sign", "job", job.toString());
    assertEquals(1, noVersion.exit());
    assertTrue(noVersion.err().contains("hospital-a/claims@VERSION"), noVersion.err());

    Files.writeString(job, """
        {"consumer": "insurer-y", "purpose": "risk-model", "engine": "tee", "datasets": ["hospital-a/claims@1"], "sql": "SELECT 1"}""");
    CliRun typo = CliRun.of(dir, "sign", "job", job.toString());
    assertEquals(1, typo.exit());
    assertTrue(typo.err().contains("no keystore of insurer-y"), typo.err());
    assertFalse(Files.exists(dir.resolve("orgs").resolve("insurer-y")), "no keys made for a mistyped organisation");

    CliRun notOwner = CliRun.of(dir, "sign", "approval", JobId.random().value(), "--as", "insurer-x", "--dataset", "hospital-a/claims");
    assertEquals(1, notOwner.exit());
    assertTrue(notOwner.err().contains("does not own hospital-a/claims"), notOwner.err());
  }
}
