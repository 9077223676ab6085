package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import io.covenant.coordinator.dispatch.RemoteTeeEngine;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.job.JobCoordinator;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.event.EventType;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.policy.PolicyEvaluator;
import io.covenant.tee.compute.SealedResult;
import io.covenant.tee.service.WorkerServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TEE worker in another process answers a job with a result computed for a different one: an earlier job's sealed
 * result replayed (its hash is genuine, and it opens for the same consumer), or a result for another computation under
 * the dispatched job's id. The coordinator refuses both, naming what the worker answered for, and the job ends as
 * JOB_FAILED with no RESULT_COMMITTED. The worker here is a stand-in over real mutual TLS, because a worker built from
 * this code never answers so; it is the seam under test, the coordinator's check being the component.
 */
class ResultForAnotherJobIsRejected {
  @TempDir Path dir;

  private final CertificateAuthority ca = CertificateAuthority.create("Test consortium", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));

  private MutualTls tlsOf(OrgCredentials org) {
    var cert = ca.issue(org.org(), List.of("member"), org.signingKey().verifyingKey(), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10));
    return MutualTls.of(org.org(), org.signingKey(), cert, new ConsortiumRoot(ca.root()), d -> false, Clock.systemUTC());
  }

  /** A worker that answers every job with what {@code answer} makes of the dispatched request. */
  private HttpsServer worker(Function<JobRequest, Json.JObject> answer) {
    HttpsServer server = MutualTlsHttp.server(new InetSocketAddress("127.0.0.1", 0), tlsOf(OrgCredentials.generate(OrgId.of("tee-worker"))), 1);
    server.createContext(WorkerServer.HEALTH, ex -> {
      try (ex) {
        MutualTlsHttp.respond(ex, 200, Json.obj("measurement", LocalDeployment.workerMeasurement().hex(), "simulated", true, "status", "ok"));
      }
    });
    server.createContext(WorkerServer.JOBS, ex -> {
      try (ex) {
        JobRequest dispatched = JobRequest.fromJson(MutualTlsHttp.body(ex).object("request"));
        MutualTlsHttp.respond(ex, 200, answer.apply(dispatched));
      }
    });
    server.start();
    return server;
  }

  @Test
  void aReplayedOrMislabelledResultFailsTheJob() {
    try (SmallFederation f = new SmallFederation(dir, 200, true)) {
      LocalDeployment d = f.deployment;
      var consumer = d.consumer(HospitalInsurerDemo.INSURER);
      Computation stats = new Computation.SqlQuery("SELECT sex, COUNT(*) AS claims FROM claims GROUP BY sex");
      JobOutcome earlier = consumer.submit(f.versions, Engine.TEE, new Purpose("risk-model"), stats);
      assertEquals(JobState.COMMITTED, earlier.state(), earlier.reasons().toString());
      JobRequest earlierRequest = d.store().job(earlier.job()).orElseThrow().request();
      SealedResult replayed = new SealedResult(d.coordinator().sealedResult(earlier.job()), earlier.resultHash().orElseThrow(), 2, 0,
          LocalDeployment.workerMeasurement(), true, f.versions.stream().map(v -> d.store().dataset(v).orElseThrow().manifest()).toList());

      OrgCredentials operator = d.keystore(LocalDeployment.OPERATOR).credentials();
      OrgCredentials insurer = d.keystore(HospitalInsurerDemo.INSURER).credentials();
      Map<OrgId, URI> nodes = new java.util.HashMap<>(); // never contacted: the stand-in worker asks no node for a key
      for (var v : f.versions) nodes.put(v.owner(), URI.create("https://127.0.0.1:9/"));
      for (Function<JobRequest, Json.JObject> answer : List.<Function<JobRequest, Json.JObject>>of(
          dispatched -> WorkerServer.resultJson(io.covenant.core.crypto.CryptoSuite.INTL, earlierRequest, replayed),
          dispatched -> WorkerServer.resultJson(io.covenant.core.crypto.CryptoSuite.INTL, new JobRequest(dispatched.id(), dispatched.consumer(), dispatched.datasets(), dispatched.engine(),
              dispatched.purpose(), new Computation.SqlQuery("SELECT diagnosis, COUNT(*) FROM claims GROUP BY diagnosis")), replayed))) {
        HttpsServer server = worker(answer);
        try {
          var engine = new RemoteTeeEngine(MutualTlsHttp.uriOf(server), tlsOf(operator), nodes, d.ledger(), Duration.ofSeconds(30));
          var coordinator = new JobCoordinator(d.store(), d.ledger(), d.blockstore(), new PolicyEvaluator(), List.of(engine), operator, Clock.systemUTC());
          JobRequest request = new JobRequest(JobId.random(), insurer.org(), f.versions, Engine.TEE, new Purpose("risk-model"), stats);
          SignedSubmission signed = SignedSubmission.sign(request, insurer, Instant.now());
          JobOutcome o = coordinator.submit(signed.request(), signed.submission());

          assertEquals(JobState.FAILED, o.state(), o.reasons().toString());
          String reason = String.join("; ", o.reasons());
          assertTrue(reason.contains("answered job " + request.id()) && reason.contains("with a result for job ")
              && reason.contains("the result is not committed"), reason);
          assertEquals(List.of(EventType.JOB_SUBMITTED, EventType.JOB_AUTHORIZED, EventType.COMPUTATION_STARTED, EventType.JOB_FAILED),
              d.ledger().entriesForJob(request.id()).stream().map(e -> e.event().event().type()).toList());
          assertEquals(Optional.empty(), d.store().job(request.id()).orElseThrow().sealedResult());
        } finally {
          MutualTlsHttp.stop(server);
        }
      }
    }
  }
}
