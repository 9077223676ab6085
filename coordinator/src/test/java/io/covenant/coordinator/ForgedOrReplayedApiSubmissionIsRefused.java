package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.node.keystore.OrgKeystore;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker with the API replays a signed body, edits a job after it was signed, or signs as another organisation.
 * Each is refused with 409 and a message naming why, and nothing is recorded: no ledger entry, no job.
 */
class ForgedOrReplayedApiSubmissionIsRefused {
  @TempDir static Path dir;
  static ApiServer api;
  static final List<DatasetVersion> versions = new ArrayList<>();
  static OrgCredentials insurer;
  static OrgCredentials hospital;

  @BeforeAll
  static void start() {
    try (SmallFederation f = new SmallFederation(dir, 200)) {
      versions.addAll(f.versions);
    }
    insurer = OrgKeystore.openOrCreate(dir.resolve("orgs").resolve(HospitalInsurerDemo.INSURER.value()), HospitalInsurerDemo.INSURER).credentials();
    hospital = OrgKeystore.openOrCreate(dir.resolve("orgs").resolve("hospital-a"), OrgId.of("hospital-a")).credentials();
    api = new ApiServer(dir);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static JobRequest request(OrgId consumer, String sql) {
    return new JobRequest(JobId.random(), consumer, versions, Engine.TEE, new Purpose("risk-model"), new Computation.SqlQuery(sql));
  }

  private static long ledgerSize() {
    return Json.parseObject(api.get("/health").body()).number("ledgerSize");
  }

  private static void refusedLeavingNoTrace(String body, JobId job, String why) {
    long before = ledgerSize();
    HttpResponse<String> r = api.postJson("/jobs", body);
    assertEquals(409, r.statusCode(), r.body());
    assertTrue(Json.parseObject(r.body()).string("error").contains(why), r.body());
    assertEquals(before, ledgerSize(), "nothing on the ledger");
    assertEquals(404, api.get("/jobs/" + job).statusCode(), "no job recorded");
  }

  @Test
  void replayingTheSameSignedBodyIsRefusedAndRecordsNothing() {
    // A denied query: recorded and decided without running an engine.
    String body = SignedSubmission.sign(request(insurer.org(), HospitalInsurerDemo.SINGLING_OUT_SQL), insurer, Instant.now()).toJson().encode();
    HttpResponse<String> first = api.postJson("/jobs", body);
    assertEquals(201, first.statusCode(), first.body());
    long after = ledgerSize();
    HttpResponse<String> replay = api.postJson("/jobs", body);
    assertEquals(409, replay.statusCode(), replay.body());
    assertTrue(replay.body().contains("already submitted"), replay.body());
    assertEquals(after, ledgerSize(), "the replay added nothing");
  }

  @Test
  void replaysRacingEachOtherRecordTheJobOnce() throws Exception {
    JobRequest request = request(insurer.org(), HospitalInsurerDemo.SINGLING_OUT_SQL);
    String body = SignedSubmission.sign(request, insurer, Instant.now()).toJson().encode();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < 6; i++) sent.add(pool.submit((Callable<Integer>) () -> api.postJson("/jobs", body).statusCode()));
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : sent) statuses.add(f.get());
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
      assertEquals(5, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    } finally {
      pool.shutdownNow();
    }
    long submitted = Json.parseObject("{\"e\":" + api.get("/jobs/" + request.id() + "/trail").body() + "}").objects("e").stream()
        .filter(e -> e.object("event").object("statement").string("type").equals("JOB_SUBMITTED")).count();
    assertEquals(1, submitted, "one JOB_SUBMITTED for the job on the ledger");
  }

  @Test
  void aJobChangedAfterSigningIsRefused() {
    SignedSubmission signed = SignedSubmission.sign(request(insurer.org(), HospitalInsurerDemo.STATISTICS_SQL), insurer, Instant.now());
    // Swap the query for one that singles out patients, keeping the signature made for the statistics query.
    JobRequest edited = new JobRequest(signed.request().id(), insurer.org(), versions, Engine.TEE, new Purpose("risk-model"),
        new Computation.SqlQuery("SELECT patient_id, claim_cost FROM claims"));
    refusedLeavingNoTrace(new SignedSubmission(edited, signed.submission()).toJson().encode(), edited.id(), "does not describe this request");
    // Editing the signed event itself (another purpose) breaks the signature.
    Json.JObject sub = signed.submission().toJson();
    String tampered = Json.obj("request", signed.request().toJson(), "submission", sub).encode().replace("\"risk-model\"", "\"marketing\"");
    refusedLeavingNoTrace(tampered, signed.request().id(), "signature");
  }

  @Test
  void aJobSignedAsAnotherOrganisationIsRefused() {
    JobRequest request = request(insurer.org(), HospitalInsurerDemo.STATISTICS_SQL);
    var event = new AuditEvent.JobSubmitted(request.id(), insurer.org(), versions, Engine.TEE, request.purpose(), request.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL));
    // hospital-a's key, claiming to be the insurer.
    SignedEvent claimed = SignedEvent.sign(event, insurer.org(), hospital.signingKey(), Instant.now());
    refusedLeavingNoTrace(new SignedSubmission(request, claimed).toJson().encode(), request.id(), "signature is not insurer-x's");
    // hospital-a signing openly as itself for a job naming the insurer as consumer.
    SignedEvent asItself = SignedEvent.sign(event, hospital.org(), hospital.signingKey(), Instant.now());
    refusedLeavingNoTrace(new SignedSubmission(request, asItself).toJson().encode(), request.id(), "does not describe this request");
  }
}
