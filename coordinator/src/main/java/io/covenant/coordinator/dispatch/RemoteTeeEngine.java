package io.covenant.coordinator.dispatch;

import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Ledger;
import io.covenant.tee.compute.SealedResult;
import io.covenant.tee.service.ResultForAnotherJobException;
import io.covenant.tee.service.WorkerJob;
import io.covenant.tee.service.WorkerServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TEE engine when the worker is its own process: the coordinator posts the job over mutual TLS with, for each
 * input, the address of its owner's node; the worker fetches keys from the nodes itself. The coordinator never holds a
 * data key, a KEK or a decrypted row — only the sealed result and its hash.
 *
 * <p>The worker's measurement and simulation flag are read from the worker when the engine is created, so that
 * COMPUTATION_STARTED records what the worker says it runs; the owners' nodes check the attested measurement
 * themselves before any key leaves them.
 */
public final class RemoteTeeEngine implements ComputeEngine {
  /**
   * Entries stapled to a job for the owners' nodes: enough to cover what a node's mirror missed since its last key
   * release in a busy consortium (a job adds about a dozen), few enough to keep the request small.
   */
  static final int STAPLED_ENTRIES = 32;

  private final URI worker;
  private final HttpClient http;
  private final Map<OrgId, URI> nodes;
  private final Ledger ledger;
  private final Duration jobTimeout;
  private final Optional<io.covenant.storage.blockstore.Blockstore> blocks;
  /** What the worker says it runs, asked once it is first needed: the worker may start after the coordinator. */
  private volatile Json.JObject health;

  /** {@code nodes} maps each data owner to its node's address; the worker refuses a node whose certificate is not the owner's. */
  public RemoteTeeEngine(URI worker, MutualTls operatorTls, Map<OrgId, URI> nodes, Ledger ledger, Duration jobTimeout) {
    this(worker, operatorTls, nodes, ledger, Optional.empty(), jobTimeout);
  }

  /** As above, sending the inputs' manifests from {@code blocks} along with each job. */
  public RemoteTeeEngine(URI worker, MutualTls operatorTls, Map<OrgId, URI> nodes, Ledger ledger, Optional<io.covenant.storage.blockstore.Blockstore> blocks,
      Duration jobTimeout) {
    this.blocks = blocks;
    this.worker = worker;
    this.http = MutualTlsHttp.client(operatorTls, Duration.ofSeconds(10));
    this.nodes = Map.copyOf(nodes);
    this.ledger = ledger;
    this.jobTimeout = jobTimeout;
  }

  private Json.JObject health() {
    Json.JObject h = health;
    if (h == null) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(worker.resolve(WorkerServer.HEALTH)).timeout(Duration.ofSeconds(10)).GET().build(), "its health");
      if (r.statusCode() != 200) throw new CovenantException("the TEE worker at " + worker + " answered " + r.statusCode() + " when asked what it runs");
      h = Json.parseObject(r.body());
      health = h;
    }
    return h;
  }

  @Override
  public Engine engine() {
    return Engine.TEE;
  }

  @Override
  public Optional<Measurement> measurement() {
    return Optional.of(new Measurement(health().string("measurement")));
  }

  @Override
  public boolean simulated() {
    return health().bool("simulated");
  }

  @Override
  public EngineRun run(AuthorizedJob job) {
    List<WorkerJob.Input> inputs = new ArrayList<>();
    for (var d : job.inputs()) {
      OrgId owner = d.version().owner();
      URI node = nodes.get(owner);
      if (node == null) {
        throw new CovenantException("no node address is configured for data owner " + owner + "; add it to the deployment file, then retry the job");
      }
      var policy = job.policies().stream().filter(p -> p.dataset().equals(d.version().dataset())).findFirst()
          .orElseThrow(() -> new CovenantException("job " + job.request().id() + " was authorised without a policy for " + d.version()));
      var ownerKey = ledger.organisation(owner).orElseThrow(() -> new CovenantException("data owner " + owner + " is not registered on the ledger")).signingKey();
      inputs.add(new WorkerJob.Input(d.version(), d.manifest(), ownerKey, node, policy.toJson().encode()));
    }
    // The inputs' manifests go along when this coordinator holds them: the worker checks each against its CID and the
    // owner's signature as if it had fetched it, one round trip sooner.
    Map<io.covenant.core.cid.Cid, byte[]> manifests = new java.util.HashMap<>();
    if (blocks.isPresent()) for (var d : job.inputs()) manifests.put(d.manifest(), blocks.get().get(d.manifest()));
    WorkerJob wj = new WorkerJob(job.request(), job.consumerKey(), inputs, io.covenant.ledger.Authorisations.of(ledger, job.request().id()),
        Optional.of(stapledLog()), manifests);
    HttpResponse<String> r = send(HttpRequest.newBuilder(worker.resolve(WorkerServer.JOBS)).timeout(jobTimeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(wj.toJson().encode())).build(), "job " + job.request().id());
    Json.JObject body;
    try {
      body = Json.parseObject(r.body());
    } catch (RuntimeException e) {
      throw new CovenantException("the TEE worker at " + worker + " answered " + r.statusCode() + " with a body that is not JSON");
    }
    if (r.statusCode() != 200) throw new CovenantException(body.string("error", "the TEE worker answered " + r.statusCode()));
    SealedResult s;
    try {
      s = WorkerServer.resultFromJson(wj, body);
    } catch (ResultForAnotherJobException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CovenantException("the TEE worker's result for job " + job.request().id() + " is malformed or its hash does not match its bytes: " + e.getMessage(), e);
    }
    if (s.simulated() && !simulated()) {
      throw new CovenantException("the worker attested with simulated evidence, but said it runs on hardware; the result is not committed");
    }
    return new EngineRun(s.sealed(), s.resultHash(), Optional.of(s.measurement()), s.simulated(), s.inputManifests(), s.rows(), s.suppressedGroups(),
        s.modelHash());
  }

  /**
   * The log as it stands now that the job has started: the signed checkpoint and its last {@link #STAPLED_ENTRIES}
   * entries, which the worker forwards to the owners' nodes with its key requests. A node verifies it as it verifies a
   * sync of its mirror, and syncs itself when it does not reach back to what the node holds (it pages the gap) or does not
   * cover the job; it saves each owner the round trip to this coordinator before it decides.
   */
  private io.covenant.core.codec.Json.JObject stapledLog() {
    io.covenant.ledger.SignedCheckpoint cp = ledger.checkpoint();
    long from = Math.max(0, cp.treeSize() - STAPLED_ENTRIES);
    return new io.covenant.ledger.mirror.LedgerSource.LogUpdate(cp, ledger.entries(from, cp.treeSize())).toJson();
  }

  private HttpResponse<String> send(HttpRequest req, String what) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CovenantException("the TEE worker at " + worker + " could not be reached for " + what + " (" + e.getMessage()
          + "); start it ('./covenant worker serve'), then retry", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("interrupted while waiting for the TEE worker", e);
    }
  }
}
