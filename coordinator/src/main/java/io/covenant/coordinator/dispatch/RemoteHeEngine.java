package io.covenant.coordinator.dispatch;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.mpc.he.AggregationKeys;
import io.covenant.mpc.he.EncryptedAggregator;
import io.covenant.mpc.he.EncryptedContribution;
import io.covenant.mpc.he.EncryptedScores;
import io.covenant.mpc.he.EncryptedTotal;
import io.covenant.mpc.he.HeEvaluator;
import io.covenant.mpc.he.HeMessages;
import io.covenant.node.hejob.HeJobRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The homomorphic-encryption engine when every organisation runs its own node: the coordinator schedules, and for an
 * aggregate adds ciphertexts; it holds no secret key and never sees a plaintext model, row, score or total.
 *
 * <p>A score: the consumer's node makes a key for the job and answers its encrypted model ({@code consumer-keys}, which
 * it records by hash); the owner's node checks the model against that record, scores its own rows under encryption and
 * answers the encrypted scores (recorded by hash); they are the stored result, and RESULT_COMMITTED carries their hash
 * (AuditRules refuses a trail where the two differ). An aggregate: the consumer's node answers its public key; every
 * owner's node, at once, answers its aggregate vector encrypted under it; the coordinator checks each against its
 * owner's ledger record and adds them ({@link EncryptedAggregator}, in its own SEAL sidecar); the encrypted total is the
 * stored result. Only the consumer's node can decrypt either result, and it checks it against the ledger first.
 */
public final class RemoteHeEngine implements ComputeEngine {
  private final HttpClient http;
  private final Map<OrgId, URI> nodes;
  private final Ledger ledger;
  private final Supplier<HeEvaluator> evaluator;
  private final Duration jobTimeout;

  /** @param evaluator the coordinator's own SEAL sidecar (it adds ciphertexts; it never makes or holds a key) */
  public RemoteHeEngine(MutualTls operatorTls, Map<OrgId, URI> nodes, Ledger ledger, Supplier<HeEvaluator> evaluator, Duration jobTimeout) {
    this.http = MutualTlsHttp.client(operatorTls, Duration.ofSeconds(10));
    this.nodes = Map.copyOf(nodes);
    this.ledger = ledger;
    this.evaluator = evaluator;
    this.jobTimeout = jobTimeout;
  }

  @Override
  public Engine engine() {
    return Engine.HE;
  }

  @Override
  public Optional<Measurement> measurement() {
    return Optional.empty();
  }

  @Override
  public boolean simulated() {
    return false;
  }

  @Override
  public EngineRun run(AuthorizedJob job) {
    var request = job.request();
    if (job.suite().isNational()) {
      // Its object digests are bound into its messages as SHA-256 (FixedAlgorithms.heObjectDigest); an SM3 ledger must not record them.
      throw new CovenantException("the he engine runs in international consortia only: its ciphertext and key digests are SHA-256, bound into "
          + "its own messages, and job " + job.request().id() + " is on a national (sm) ledger; run it on the tee or mpc engine");
    }
    List<String> policies = job.policies().stream().map(p -> p.toJson().encode()).toList();
    List<io.covenant.core.cid.Cid> manifests = job.inputs().stream().map(DatasetRecord::manifest).toList();
    OrgId consumer = request.consumer();
    Json.JObject keys = await(call(consumer, HeJobRequest.CONSUMER_KEYS, new HeJobRequest(request, policies, null), "make its key for the job"));
    byte[] consumerMessage = Base64.getDecoder().decode(keys.string("message"));
    return switch (request.computation()) {
      case Computation.HeScore score -> {
        if (job.inputs().size() != 1) {
          throw new CovenantException("an he score runs on one owner's dataset; job " + request.id() + " names " + job.inputs().size() + ". Submit one job per dataset");
        }
        OrgId owner = job.inputs().getFirst().version().owner();
        Json.JObject answer = await(call(owner, HeJobRequest.OWNER_SCORE, new HeJobRequest(request, policies, consumerMessage), "score its rows"));
        byte[] bytes = Base64.getDecoder().decode(answer.string("message"));
        EncryptedScores scores = HeMessages.scores(bytes, owner);
        Digest digest = scores.digest();
        DatasetVersion d = job.inputs().getFirst().version();
        Digest recorded = ownerRecords(request.id()).get(d);
        if (recorded == null || !recorded.equals(digest)) {
          throw new IntegrityException(owner + "'s encrypted scores hash to " + digest.shortForm() + " but " + owner + " recorded "
              + (recorded == null ? "nothing" : recorded.shortForm()) + " on the ledger for " + d + ": they were modified on the way; nothing is stored");
        }
        yield new EngineRun(bytes, digest, Optional.empty(), false, manifests, answer.number("rows"), 0);
      }
      case Computation.HeAggregate aggregate -> {
        AggregationKeys published = HeMessages.keys(consumerMessage, consumer);
        LinkedHashSet<OrgId> owners = new LinkedHashSet<>();
        for (DatasetRecord d : job.inputs()) owners.add(d.version().owner());
        Map<OrgId, CompletableFuture<Json.JObject>> calls = new java.util.LinkedHashMap<>();
        for (OrgId owner : owners) calls.put(owner, call(owner, HeJobRequest.OWNER_AGGREGATE, new HeJobRequest(request, policies, consumerMessage), "encrypt its aggregate"));
        List<EncryptedContribution> contributions = new ArrayList<>();
        CovenantException first = null;
        for (var e : calls.entrySet()) {
          try {
            contributions.add(HeMessages.contribution(Base64.getDecoder().decode(await(e.getValue()).string("message")), e.getKey()));
          } catch (CovenantException x) {
            if (first == null) first = x;
          }
        }
        if (first != null) throw first;
        Map<OrgId, Digest> recorded = new HashMap<>();
        ownerRecords(request.id()).forEach((d, h) -> recorded.put(d.owner(), h));
        EncryptedTotal total = new EncryptedAggregator(evaluator.get()).aggregate(published, contributions, recorded);
        yield new EngineRun(HeMessages.total(total), total.digest(), Optional.empty(), false, manifests, aggregate.groups().size(), 0);
      }
      default -> throw new CovenantException("the he engine runs he-score and he-aggregate; job " + request.id() + " asks for "
          + request.computation().toJson().string("kind") + ". Use the tee or mpc engine for it");
    };
  }

  /** Waits for a node's answer; its failure is the CovenantException that names the organisation. */
  private static Json.JObject await(CompletableFuture<Json.JObject> call) {
    try {
      return call.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CovenantException c) throw c;
      throw new CovenantException("a node's answer could not be read: " + e.getCause(), e.getCause());
    }
  }

  /** The owners' CIPHERTEXT_RECORDED of this job, each signed by its dataset's owner, by dataset. */
  private Map<DatasetVersion, Digest> ownerRecords(JobId job) {
    Map<DatasetVersion, Digest> out = new HashMap<>();
    for (LedgerEntry e : ledger.entriesForJob(job)) {
      if (e.event().event() instanceof AuditEvent.CiphertextRecorded c && c.dataset().isPresent() && e.event().actor().equals(c.dataset().get().owner())) {
        out.put(c.dataset().get(), c.ciphertextHash());
      }
    }
    return out;
  }

  private CompletableFuture<Json.JObject> call(OrgId org, String path, HeJobRequest body, String what) {
    URI node = nodes.get(org);
    if (node == null) {
      return CompletableFuture.failedFuture(new CovenantException("no node address is configured for " + org + "; add it to the deployment file, then retry the job"));
    }
    HttpRequest req = HttpRequest.newBuilder(node.resolve(path)).timeout(jobTimeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toJson().encode())).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).handle((r, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        throw new CovenantException(org + "'s node at " + node + " could not be reached to " + what + " (" + cause.getMessage() + "); start it, then retry the job", cause);
      }
      Json.JObject o;
      try {
        o = Json.parseObject(r.body());
      } catch (RuntimeException e) {
        throw new CovenantException(org + "'s node answered " + r.statusCode() + " with a body that is not JSON");
      }
      if (r.statusCode() != 200) throw new CovenantException(org + "'s node did not " + what + ": " + o.string("error", "status " + r.statusCode()));
      return o;
    });
  }
}
