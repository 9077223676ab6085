package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.node.keystore.OrgKeystore;
import io.covenant.core.codec.Json;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.tee.compute.ResultTable;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiServesJobsAndLedger {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aConsumerSubmitsOverHttpAndOpensItsSealedResult() throws Exception {
    var versions = new java.util.ArrayList<io.covenant.core.id.DatasetVersion>();
    try (SmallFederation f = new SmallFederation(dir, 600)) {
      versions.addAll(f.versions);
    }
    try (ApplicationContext ctx = ApplicationContext.run(Map.of("covenant.data-dir", dir.toString(), "micronaut.server.port", -1))) {
      EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
      String base = server.getURL() + "/api";

      assertEquals(200, get(base + "/health").statusCode());
      HttpResponse<String> datasets = get(base + "/datasets");
      assertEquals(3, Json.parseObject(datasets.body()).objects("items").size());
      assertFalse(datasets.body().contains("P0"), "the catalogue lists schemas, never values");

      var insurer = OrgKeystore.openOrCreate(dir.resolve("orgs").resolve(HospitalInsurerDemo.INSURER.value()), HospitalInsurerDemo.INSURER).credentials();
      JobRequest request = new JobRequest(JobId.random(), insurer.org(), versions, Engine.TEE, new Purpose("risk-model"),
          new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
      var event = new AuditEvent.JobSubmitted(request.id(), insurer.org(), versions, Engine.TEE, request.purpose(), request.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL));
      String body = Json.obj("request", request.toJson(), "submission",
          SignedEvent.sign(event, insurer.org(), insurer.signingKey(), Instant.now()).toJson()).encode();
      HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, submitted.statusCode(), submitted.body());
      assertEquals("COMMITTED", Json.parseObject(submitted.body()).string("state"));

      HttpResponse<byte[]> sealed = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + request.id() + "/result")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, sealed.statusCode());
      ResultTable table = ResultTable.open(sealed.body(), insurer.encryptionKeys(), request.id());
      assertFalse(table.rows().isEmpty());

      HttpResponse<String> trail = get(base + "/jobs/" + request.id() + "/trail");
      assertTrue(trail.body().contains("RESULT_COMMITTED"));
      assertEquals(200, get(base + "/ledger/checkpoint").statusCode());

      HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"request\": ")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode(), bad.body());
      assertTrue(bad.body().contains("malformed JSON"), bad.body());
      assertEquals(404, get(base + "/jobs/job-0000000000000000").statusCode());

      // An approval over HTTP: hospital-a now requires approval; its signed APPROVAL_GIVEN runs the waiting job.
      var hospitalA = OrgKeystore.openOrCreate(dir.resolve("orgs").resolve("hospital-a"), io.covenant.core.id.OrgId.of("hospital-a")).credentials();
      String policy = io.covenant.core.codec.Json.parseObject(HospitalInsurerDemo.policyFor(hospitalA.org())).encode()
          .replace("\"required\":false", "\"required\":true").replace("-statistics\"", "-statistics-approved\"");
      var policyRecord = io.covenant.policy.Policy.parse(policy);
      // Publishing needs the owner's key, which the server's deployment holds for it in this embedded setup.
      ctx.getBean(io.covenant.coordinator.deployment.LocalDeployment.class).owner(hospitalA.org()).publishPolicy(policy);
      JobRequest waitingRequest = new JobRequest(JobId.random(), insurer.org(), versions, Engine.TEE, new Purpose("risk-model"),
          new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
      var waitingEvent = new AuditEvent.JobSubmitted(waitingRequest.id(), insurer.org(), versions, Engine.TEE, waitingRequest.purpose(),
          waitingRequest.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL));
      HttpResponse<String> waiting = post(base + "/jobs", Json.obj("request", waitingRequest.toJson(), "submission",
          SignedEvent.sign(waitingEvent, insurer.org(), insurer.signingKey(), Instant.now()).toJson()).encode());
      assertEquals("AWAITING_APPROVAL", Json.parseObject(waiting.body()).string("state"), waiting.body());
      var forged = SignedEvent.sign(new AuditEvent.ApprovalGiven(waitingRequest.id(), policyRecord.dataset(), true, "me"),
          insurer.org(), insurer.signingKey(), Instant.now());
      assertEquals(409, post(base + "/jobs/" + waitingRequest.id() + "/approvals", forged.toJson().encode()).statusCode());
      var approval = SignedEvent.sign(new AuditEvent.ApprovalGiven(waitingRequest.id(), policyRecord.dataset(), true, "ok"),
          hospitalA.org(), hospitalA.signingKey(), Instant.now());
      HttpResponse<String> approved = post(base + "/jobs/" + waitingRequest.id() + "/approvals", approval.toJson().encode());
      assertEquals(200, approved.statusCode(), approved.body());
      assertEquals("COMMITTED", Json.parseObject(approved.body()).string("state"), approved.body());
    }
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
