package io.covenant.tee.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.core.keyrelease.KeyServiceUnavailableException;
import io.covenant.core.keyrelease.NodeKeyService;
import io.covenant.policy.Policy;
import io.covenant.tee.compute.ComputationFailedException;
import io.covenant.tee.compute.InputDataset;
import io.covenant.tee.compute.QueryRefusedException;
import io.covenant.tee.compute.SealedResult;
import io.covenant.tee.compute.TeeJob;
import io.covenant.tee.compute.TeeWorker;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The TEE worker as its own process: the coordinator (and only the coordinator's operator) posts a {@link WorkerJob}
 * to {@code POST /v1/jobs}; the worker reads the sealed blocks itself, asks each owner's node for its key over mutual
 * TLS ({@link NodeKeyService}), computes in the enclave and answers with the result sealed to the consumer. Nothing
 * secret passes through the coordinator: it sees the job, the sealed result and its hash.
 *
 * <p>{@code GET /v1/health} answers the worker's measurement and whether its attestation is simulated, so that the
 * coordinator records on COMPUTATION_STARTED what the worker really runs.
 */
public final class WorkerServer implements AutoCloseable {
  public static final String JOBS = "/v1/jobs";
  public static final String HEALTH = "/v1/health";
  private static final Duration KEY_TIMEOUT = Duration.ofSeconds(30);

  private final HttpsServer server;
  private final URI uri;

  private WorkerServer(HttpsServer server, URI uri) {
    this.server = server;
    this.uri = uri;
  }

  /**
   * Serves {@code worker} on {@code bind}, taking jobs only from {@code dispatcher} (the coordinator's operator), and
   * reporting {@code measurement} and {@code simulated} on its health endpoint.
   */
  public static WorkerServer start(InetSocketAddress bind, MutualTls tls, OrgId dispatcher, TeeWorker worker, Measurement measurement, boolean simulated,
      PrintStream log, Clock clock) {
    HttpsServer server = MutualTlsHttp.server(bind, tls, 2);
    // One client for every key request: a connection per owner's node, kept alive between jobs.
    HttpClient keyRequests = MutualTlsHttp.client(tls, KEY_TIMEOUT);
    server.createContext(JOBS, ex -> {
      try (ex) {
        if (!"POST".equals(ex.getRequestMethod())) {
          MutualTlsHttp.error(ex, 405, "use POST " + JOBS);
          return;
        }
        OrgId caller = MutualTlsHttp.caller(ex);
        if (!caller.equals(dispatcher)) {
          log.println(clock.instant() + " refused a job from " + caller + ": only " + dispatcher + " dispatches");
          MutualTlsHttp.error(ex, 403, "only the coordinator's operator " + dispatcher + " dispatches jobs to this worker; " + caller + " may not");
          return;
        }
        WorkerJob job;
        try {
          job = WorkerJob.fromJson(MutualTlsHttp.body(ex));
        } catch (MalformedInputException e) {
          MutualTlsHttp.error(ex, 400, "the job is malformed: " + e.getMessage());
          return;
        }
        run(ex, job, keyRequests, worker, log, clock);
      }
    });
    server.createContext(HEALTH, ex -> {
      try (ex) {
        MutualTlsHttp.respond(ex, 200, Json.obj("measurement", measurement.hex(), "simulated", simulated, "status", "ok"));
      }
    });
    server.start();
    return new WorkerServer(server, MutualTlsHttp.uriOf(server));
  }

  private static void run(HttpExchange ex, WorkerJob job, HttpClient keyRequests, TeeWorker worker, PrintStream log, Clock clock) throws IOException {
    String what = "job " + job.request().id();
    log.println(clock.instant() + " " + what + ": started, " + job.inputs().size() + " inputs");
    try {
      List<InputDataset> inputs = job.inputs().stream()
          .map(i -> new InputDataset(i.version(), i.manifestCid(), i.ownerKey(), new NodeKeyService(i.owner(), i.ownerNode(), keyRequests, KEY_TIMEOUT, job.stapledLog()),
              Policy.parse(i.policyJson())))
          .toList();
      // The manifests the coordinator sent along are read from the job (each checked against its CID), not fetched.
      TeeWorker reading = job.carriedBlocks().isEmpty() ? worker : worker.readingFirst(job.carriedBlocks());
      SealedResult r = reading.run(new TeeJob(job.request(), inputs, job.consumerKey(), job.authorisation()));
      log.println(clock.instant() + " " + what + ": result " + r.resultHash().hex().substring(0, 16) + "…, " + r.rows() + " rows");
      MutualTlsHttp.respond(ex, 200, resultJson(job.suite(), job.request(), r));
    } catch (KeyReleaseRefusedException e) {
      log.println(clock.instant() + " " + what + ": key refused: " + e.getMessage());
      MutualTlsHttp.respond(ex, 403, Json.obj("error", e.getMessage(), "reason", KeyReleaseRefusedException.wireName(e.reason())));
    } catch (KeyServiceUnavailableException e) {
      log.println(clock.instant() + " " + what + ": " + e.getMessage());
      MutualTlsHttp.respond(ex, 502, Json.obj("error", e.getMessage(), "owner", e.owner().value()));
    } catch (QueryRefusedException | MalformedInputException e) {
      MutualTlsHttp.error(ex, 400, e.getMessage());
    } catch (ComputationFailedException | IntegrityException e) {
      log.println(clock.instant() + " " + what + ": " + e.getMessage());
      MutualTlsHttp.error(ex, 422, e.getMessage());
    } catch (CovenantException e) {
      log.println(clock.instant() + " " + what + ": " + e.getMessage());
      MutualTlsHttp.error(ex, 500, e.getMessage());
    } catch (RuntimeException e) {
      // Unexpected failures inside the enclave stay in its own log: their text could carry data.
      log.println(clock.instant() + " " + what + ": failed unexpectedly: " + e.getClass().getName());
      MutualTlsHttp.error(ex, 500, "the worker failed unexpectedly on " + what + "; see the worker's log");
    }
  }

  /**
   * The worker's answer for {@code request}: the sealed result, its facts for RESULT_COMMITTED, and the job and
   * computation it was computed for (its hash under the consortium's {@code suite}), which the coordinator checks against
   * what it dispatched ({@link #resultFromJson}).
   */
  public static Json.JObject resultJson(io.covenant.core.crypto.CryptoSuite suite, io.covenant.core.job.JobRequest request, SealedResult r) {
    Json.JObject o = Json.obj("job", request.id().value(), "computationHash", request.computation().hash(suite).hex(),"sealed", Base64.getEncoder().encodeToString(r.sealed()), "resultHash", r.resultHash().hex(), "rows", r.rows(),
        "suppressedGroups", r.suppressedGroups(), "measurement", r.measurement().hex(), "simulated", r.simulated(),
        "inputManifests", r.inputManifests().stream().map(Cid::toString).toList());
    if (r.modelHash().isEmpty()) return o;
    java.util.Map<String, Json> members = new java.util.LinkedHashMap<>(o.members());
    members.put("modelHash", Json.from(r.modelHash().get().hex()));
    return new Json.JObject(members);
  }

  /**
   * Parses the worker's answer to {@code POST /v1/jobs} for {@code job}; the hash is checked against the sealed bytes
   * under the consortium's suite ({@link WorkerJob#suite}),
   * and an answer that names another job or another computation is refused ({@link ResultForAnotherJobException}): a
   * worker that mixed up jobs, or was made to, must not have its result committed under this one.
   */
  public static SealedResult resultFromJson(WorkerJob job, Json.JObject o) {
    String answeredJob = o.string("job", "(none)");
    String answeredComputation = o.string("computationHash", "(none)");
    io.covenant.core.job.Computation computation = job.request().computation();
    if (!answeredJob.equals(job.request().id().value()) || !answeredComputation.equals(computation.hash(job.suite()).hex())) {
      throw new ResultForAnotherJobException(job.request().id(), computation.hash(job.suite()), answeredJob, answeredComputation);
    }
    return new SealedResult(Base64.getDecoder().decode(o.string("sealed")), io.covenant.core.crypto.Digest.parse(o.string("resultHash")), o.number("rows"),
        o.number("suppressedGroups"), new Measurement(o.string("measurement")), o.bool("simulated"),
        o.array("inputManifests").stream().map(j -> Cid.parse(((Json.JString) j).value())).toList(),
        o.has("modelHash") ? java.util.Optional.of(io.covenant.core.crypto.Digest.parse(o.string("modelHash"))) : java.util.Optional.empty())
        .hashedUnder(job.suite());
  }

  public URI uri() {
    return uri;
  }

  @Override
  public void close() {
    MutualTlsHttp.stop(server);
  }
}
