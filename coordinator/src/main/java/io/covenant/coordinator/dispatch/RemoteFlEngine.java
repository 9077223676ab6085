package io.covenant.coordinator.dispatch;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Ledger;
import io.covenant.mpc.fl.AggregatorProgram;
import io.covenant.mpc.fl.DeclinedHospital;
import io.covenant.mpc.fl.FlJobResult;
import io.covenant.mpc.fl.FlJobSpec;
import io.covenant.mpc.fl.FlRoster;
import io.covenant.mpc.fl.secagg.DroppedHospital;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.PeerLinkException;
import io.covenant.mpc.transport.TlsPeerLinks;
import io.covenant.node.fljob.FlJobRequest;
import io.covenant.tee.compute.ResultTable;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The federated engine ({@code engine=fl}) when every organisation runs its own node. The coordinator schedules and
 * aggregates, and holds no key and no row: it asks each input owner's node to check the job and prepare its part
 * ({@code /v1/fl-jobs/prepare}: the node verifies the job against its own ledger mirror, decides on its own data and
 * decrypts it in its own process), opens a mutual-TLS peer-link listener, tells every node its port ({@code /run}), and
 * runs the aggregator's side of the rounds ({@link AggregatorProgram}: secure aggregation after Bonawitz et al., CCS
 * 2017), learning only the sum of the hospitals' masked updates and who contributed.
 *
 * <p>After each round it records FL_ROUND_COMPLETED (participants, dropped and declined hospitals, the global model's
 * and the aggregate's SHA-256), signed by the operator. The final model is sealed to the consumer
 * ({@link FederatedModelResult}); its hash goes in RESULT_COMMITTED. A node that refuses or cannot be reached before
 * training fails the job naming it, with no round recorded; a node that dies mid-round is named as dropped in the
 * round's record and the round's sum is still exact while at least the threshold of hospitals remain; below it the job
 * ends with the last completed round's model (and names who dropped), or fails if no round completed.
 */
public final class RemoteFlEngine implements ComputeEngine {
  private final HttpClient http;
  private final MutualTls operatorTls;
  private final Map<OrgId, URI> nodes;
  private final Ledger ledger;
  private final OrgCredentials operator;
  private final Clock clock;
  private final Duration jobTimeout;
  private final Duration peerTimeout;
  private volatile Consumer<String> progress = line -> { };

  public RemoteFlEngine(MutualTls operatorTls, Map<OrgId, URI> nodes, Ledger ledger, OrgCredentials operator, Clock clock, Duration jobTimeout) {
    this.http = MutualTlsHttp.client(operatorTls, Duration.ofSeconds(10));
    this.operatorTls = operatorTls;
    this.nodes = Map.copyOf(nodes);
    this.ledger = ledger;
    this.operator = operator;
    this.clock = clock;
    this.jobTimeout = jobTimeout;
    this.peerTimeout = Duration.ofSeconds(120);
  }

  @Override
  public Engine engine() {
    return Engine.FL;
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
    if (!(request.computation() instanceof Computation.FederatedTraining training)) {
      throw new CovenantException("the fl engine runs federated training; job " + request.id() + " asks for " + request.computation().toJson().string("kind"));
    }
    LinkedHashSet<OrgId> owners = new LinkedHashSet<>();
    for (DatasetRecord d : job.inputs()) owners.add(d.version().owner());
    if (owners.size() < 2) {
      throw new CovenantException("federated training needs the data of at least two owners (hospitals); job " + request.id() + " has " + owners
          + ". Add another owner's dataset, or train in the tee engine");
    }
    FlRoster roster = new FlRoster(operator.org(), List.copyOf(owners));
    FlJobSpec spec = FlJobRequest.spec(job.suite(), request.id(), training);
    List<URI> addresses = new ArrayList<>();
    for (OrgId h : roster.hospitals()) {
      URI node = nodes.get(h);
      if (node == null) throw new CovenantException("no node address is configured for " + h + "; add it to the deployment file, then retry the job");
      addresses.add(node);
    }
    List<String> policies = job.policies().stream().map(p -> p.toJson().encode()).toList();
    Json.JObject prepare = new FlJobRequest.Prepare(request, policies, roster).toJson();
    Map<OrgId, Json.JObject> ready = settled(roster, post(addresses, FlJobRequest.PREPARE, prepare), "prepare its part");
    for (var e : ready.entrySet()) {
      if (e.getValue().number("features") != training.features().size()) {
        throw new CovenantException(e.getKey() + "'s node reads " + e.getValue().number("features") + " features, not the job's " + training.features().size());
      }
    }

    try (TlsPeerLinks.Listener listener = TlsPeerLinks.listen(operatorTls, new InetSocketAddress(0), peerTimeout)) {
      Json.JObject start = new FlJobRequest.Run(request.id(), listener.address().getPort()).toJson();
      List<CompletableFuture<HttpResponse<String>>> runs = post(addresses, FlJobRequest.RUN, start);
      Map<OrgId, PeerLink> links;
      try {
        links = listener.acceptAll(request.id(), new HashSet<>(roster.hospitals()));
      } catch (PeerLinkException e) {
        // Nobody trained yet: name the node from its own answer if it gave one, else the link's failure.
        settled(roster, runs, "start training");
        throw new CovenantException("the federated job " + request.id() + " could not start: " + e.getMessage(), e);
      }
      List<double[]> roundModels = new ArrayList<>();
      FlJobResult result;
      try {
        result = new AggregatorProgram(spec, roster, links, training.features().size())
            .onRound(r -> {
              ledger.append(SignedEvent.sign(new AuditEvent.FlRoundCompleted(request.id(), r.round(), r.participants(),
                  r.dropped().stream().map(DroppedHospital::hospital).toList(), r.declined().stream().map(DeclinedHospital::hospital).toList(),
                  r.globalModelHash(), r.aggregateHash()), operator.org(), operator.signingKey(), clock.instant()));
              progress.accept("round " + r.round() + ": " + r.participants().size() + " summed" + (r.dropped().isEmpty() ? "" : ", dropped " + r.dropped())
                  + (r.declined().isEmpty() ? "" : ", declined " + r.declined().stream().map(DeclinedHospital::hospital).toList()));
            })
            .onRoundModel((r, m) -> roundModels.add(m))
            .run();
      } finally {
        links.values().forEach(PeerLink::close);
      }
      // Every node's answer (its own KEY_RELEASE_REFUSED, if its budget stopped it, is on the ledger before it answers);
      // a node that died is named, the job stands on the rounds it recorded.
      Map<OrgId, String> outcomes = new LinkedHashMap<>();
      for (int i = 0; i < roster.size(); i++) {
        OrgId h = roster.hospitals().get(i);
        try {
          HttpResponse<String> r = runs.get(i).join();
          Json.JObject o = Json.parseObject(r.body());
          outcomes.put(h, r.statusCode() == 200
              ? o.string("outcome") + " after " + o.number("roundsContributed") + " round(s)" + (o.has("reason") ? ": " + o.string("reason") : "")
              : "failed: " + o.string("error", "status " + r.statusCode()));
        } catch (CompletionException | CovenantException e) {
          outcomes.put(h, "its node did not answer: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
      }
      if (result.rounds().isEmpty()) {
        throw new CovenantException("the federated job " + request.id() + " completed no round: " + result.stoppedEarly().orElse("no reason given") + "; hospitals: " + outcomes);
      }
      ResultTable table = FederatedModelResult.table(training, result, roundModels, outcomes);
      byte[] sealed = ResultTable.sealText(table, request.id(), job.consumerKey());
      List<Cid> manifests = job.inputs().stream().map(DatasetRecord::manifest).toList();
      return new EngineRun(sealed, job.suite().hash(sealed), Optional.empty(), false, manifests, 0, 0, Optional.of(result.finalModelHash()));
    }
  }

  /** Where the engine reports each round as it completes (a demo's live table, a log); nothing by default. */
  public RemoteFlEngine onProgress(Consumer<String> listener) {
    this.progress = listener;
    return this;
  }

  private List<CompletableFuture<HttpResponse<String>>> post(List<URI> addresses, String path, Json.JObject body) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (URI a : addresses) {
      HttpRequest req = HttpRequest.newBuilder(a.resolve(path)).timeout(jobTimeout).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
      calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }
    return calls;
  }

  /** Waits for every call; the first failure (in roster order) names its organisation. */
  private static Map<OrgId, Json.JObject> settled(FlRoster roster, List<CompletableFuture<HttpResponse<String>>> calls, String what) {
    Map<OrgId, Json.JObject> answers = new LinkedHashMap<>();
    CovenantException first = null;
    for (int i = 0; i < calls.size(); i++) {
      OrgId h = roster.hospitals().get(i);
      try {
        HttpResponse<String> r = calls.get(i).join();
        Json.JObject o;
        try {
          o = Json.parseObject(r.body());
        } catch (RuntimeException e) {
          throw new CovenantException(h + "'s node answered " + r.statusCode() + " with a body that is not JSON");
        }
        if (r.statusCode() != 200) throw new CovenantException(h + "'s node did not " + what + ": " + o.string("error", "status " + r.statusCode()));
        answers.put(h, o);
      } catch (CompletionException e) {
        if (first == null) first = new CovenantException(h + "'s node could not be reached to " + what + " (" + e.getCause().getMessage()
            + "); start it, then retry the job", e.getCause());
      } catch (CovenantException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
    return answers;
  }
}
