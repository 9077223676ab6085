package io.covenant.coordinator.dispatch;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.job.Engine;
import io.covenant.mpc.sql.SealedShares;
import io.covenant.mpc.transport.Committee;
import io.covenant.node.partyjob.PartyJobRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The multi-party engine when every organisation runs its own node: the coordinator only schedules. It names the
 * committee (the job's three input owners, in the order the job lists their datasets), asks each node to take its
 * seat ({@code /v1/party-jobs/prepare}: the node checks the job against the ledger and opens a mutual-TLS party
 * endpoint), hands every node the three endpoints ({@code /run}), and stores the three parts each node sealed to
 * the consumer as one bundle whose SHA-256 RESULT_COMMITTED records. It never holds a key, a row or a readable share.
 *
 * <p>A node that cannot be reached, refuses, or loses a peer fails the job naming that organisation; the nodes
 * record nothing but their own INPUT_SHARED, and a retried job starts from a new submission.
 */
public final class RemoteMpcEngine implements ComputeEngine {
  private final HttpClient http;
  private final Map<OrgId, URI> nodes;
  private final Duration jobTimeout;

  public RemoteMpcEngine(MutualTls operatorTls, Map<OrgId, URI> nodes, Duration jobTimeout) {
    this.http = MutualTlsHttp.client(operatorTls, Duration.ofSeconds(10));
    this.nodes = Map.copyOf(nodes);
    this.jobTimeout = jobTimeout;
  }

  @Override
  public Engine engine() {
    return Engine.MPC;
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
    LinkedHashSet<OrgId> owners = new LinkedHashSet<>();
    for (DatasetRecord d : job.inputs()) owners.add(d.version().owner());
    if (request.computation() instanceof io.covenant.core.job.Computation.PrivateSetIntersection) return intersect(job, owners);
    if (request.computation() instanceof io.covenant.core.job.Computation.SqlQuery q && q.security() == io.covenant.core.job.MpcSecurity.MALICIOUS) {
      return malicious(job, owners);
    }
    // A vertical model: the features' owner, the labels' owner and the helper the consumer named.
    if (request.computation() instanceof io.covenant.core.job.Computation.VerticalLogisticRegression model) owners.add(model.helper());
    if (owners.size() != 3) {
      throw new CovenantException("the multi-party engine runs on a committee of three organisations (three input owners, or for a vertical model two "
          + "owners and a helper); job " + request.id() + " has " + owners.size() + ": " + owners + ". Use three owners' datasets, or the tee engine");
    }
    Committee committee = new Committee(List.copyOf(owners));
    List<URI> addresses = addresses(committee.members());
    List<String> policies = job.policies().stream().map(p -> p.toJson().encode()).toList();
    Json.JObject prepare = new PartyJobRequest.Prepare(request, policies, committee).toJson();
    List<Json.JObject> seats = all(committee.members(), addresses, PartyJobRequest.PREPARE, i -> prepare, "take its seat");
    List<InetSocketAddress> endpoints = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (seats.get(i).number("seat") != i) throw new CovenantException(committee.members().get(i) + "'s node took seat " + seats.get(i).number("seat") + ", not " + i);
      endpoints.add(PartyJobRequest.address(seats.get(i).string("endpoint")));
    }
    Json.JObject start = new PartyJobRequest.Run(request.id(), endpoints).toJson();
    List<Json.JObject> results = all(committee.members(), addresses, PartyJobRequest.RUN, i -> start, "compute");
    List<byte[]> parts = new ArrayList<>();
    for (Json.JObject r : results) parts.add(Base64.getDecoder().decode(r.string("sealed")));
    byte[] bundle = SealedShares.bundle(request.id(), parts);
    List<Cid> manifests = job.inputs().stream().map(DatasetRecord::manifest).toList();
    // Which groups were kept is known to the consumer alone: the coordinator records neither rows nor suppressions.
    return new EngineRun(bundle, job.suite().hash(bundle), Optional.empty(), false, manifests, 0, 0);
  }

  /**
   * A private set intersection: two seats, the consumer's node (the receiver) and the other owner's (the sender). The
   * nodes dial each other; the coordinator stores the two sealed parts as one bundle, and records the number of matches
   * only when the receiver reports it (every owner's policy allows it: {@code matching.revealCount}).
   */
  private EngineRun intersect(AuthorizedJob job, LinkedHashSet<OrgId> owners) {
    var request = job.request();
    if (owners.size() != 2 || !owners.contains(request.consumer())) {
      throw new CovenantException("a private set intersection runs between two owners' nodes, one of them the consumer's; job " + request.id() + " has owners "
          + owners + " and consumer " + request.consumer() + ". Submit it as one of the two owners");
    }
    List<OrgId> seats = new ArrayList<>(List.of(request.consumer()));
    for (OrgId o : owners) if (!o.equals(request.consumer())) seats.add(o);
    List<URI> addresses = addresses(seats);
    List<String> policies = job.policies().stream().map(p -> p.toJson().encode()).toList();
    Json.JObject prepare = new PartyJobRequest.Prepare(request, policies, seats).toJson();
    List<Json.JObject> taken = all(seats, addresses, PartyJobRequest.PREPARE, i -> prepare, "take its seat");
    List<InetSocketAddress> endpoints = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      if (taken.get(i).number("seat") != i) throw new CovenantException(seats.get(i) + "'s node took seat " + taken.get(i).number("seat") + ", not " + i);
      endpoints.add(PartyJobRequest.address(taken.get(i).string("endpoint")));
    }
    Json.JObject start = new PartyJobRequest.Run(request.id(), endpoints).toJson();
    List<Json.JObject> results = all(seats, addresses, PartyJobRequest.RUN, i -> start, "intersect");
    List<byte[]> parts = new ArrayList<>();
    for (Json.JObject r : results) parts.add(Base64.getDecoder().decode(r.string("sealed")));
    byte[] bundle = io.covenant.mpc.psi.SealedIntersection.bundle(request.id(), parts);
    long matched = results.get(0).has("matched") ? results.get(0).number("matched") : 0;
    List<Cid> manifests = job.inputs().stream().map(DatasetRecord::manifest).toList();
    return new EngineRun(bundle, job.suite().hash(bundle), Optional.empty(), false, manifests, matched, 0);
  }

  /**
   * A query in the malicious-secure mode (SPDZ with MASCOT preprocessing): the parties are the input owners' nodes in
   * the job's order, then the consumer's node (unless it owns an input), two to four. The nodes link to each other over
   * mutual TLS; SPDZ opens the result toward the consumer's party alone, whose node seals it to the consumer. The
   * coordinator stores that one sealed part; a party that deviates makes every honest node abort, and the job fails
   * with the detecting node's message.
   */
  private EngineRun malicious(AuthorizedJob job, LinkedHashSet<OrgId> owners) {
    var request = job.request();
    LinkedHashSet<OrgId> parties = new LinkedHashSet<>(owners);
    parties.add(request.consumer());
    if (parties.size() < 2 || parties.size() > 4) {
      throw new CovenantException("a malicious-secure query runs between two to four nodes (the input owners and the consumer); job " + request.id()
          + " would have " + parties.size() + ": " + parties + ". Use at most three owners' datasets");
    }
    List<OrgId> seats = List.copyOf(parties);
    List<URI> addresses = addresses(seats);
    List<String> policies = job.policies().stream().map(p -> p.toJson().encode()).toList();
    Json.JObject prepare = new PartyJobRequest.Prepare(request, policies, seats).toJson();
    List<Json.JObject> taken = all(seats, addresses, PartyJobRequest.PREPARE, i -> prepare, "take its seat");
    List<InetSocketAddress> endpoints = new ArrayList<>();
    for (int i = 0; i < seats.size(); i++) {
      if (taken.get(i).number("seat") != i) throw new CovenantException(seats.get(i) + "'s node took seat " + taken.get(i).number("seat") + ", not " + i);
      endpoints.add(PartyJobRequest.address(taken.get(i).string("endpoint")));
    }
    Json.JObject start = new PartyJobRequest.Run(request.id(), endpoints).toJson();
    List<Json.JObject> results = all(seats, addresses, PartyJobRequest.RUN, i -> start, "compute");
    Json.JObject consumer = results.get(seats.indexOf(request.consumer()));
    if (!consumer.has("sealed")) throw new CovenantException(request.consumer() + "'s node finished job " + request.id() + " without the result SPDZ opened toward it");
    byte[] bundle = io.covenant.mpc.spdz.SealedSpdzResult.bundle(request.id(), Base64.getDecoder().decode(consumer.string("sealed")));
    List<Cid> manifests = job.inputs().stream().map(DatasetRecord::manifest).toList();
    return new EngineRun(bundle, job.suite().hash(bundle), Optional.empty(), false, manifests, 0, 0);
  }

  private List<URI> addresses(List<OrgId> members) {
    List<URI> addresses = new ArrayList<>();
    for (OrgId member : members) {
      URI node = nodes.get(member);
      if (node == null) throw new CovenantException("no node address is configured for " + member + "; add it to the deployment file, then retry the job");
      addresses.add(node);
    }
    return addresses;
  }

  /** Posts to every seat's node at once and waits for all; the first failure (by seat) names its organisation. */
  private List<Json.JObject> all(List<OrgId> members, List<URI> addresses, String path, java.util.function.IntFunction<Json.JObject> body, String what) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      HttpRequest req = HttpRequest.newBuilder(addresses.get(i).resolve(path)).timeout(jobTimeout).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.apply(i).encode())).build();
      calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }
    List<Json.JObject> answers = new ArrayList<>();
    CovenantException first = null;
    CovenantException detection = null;
    for (int i = 0; i < members.size(); i++) {
      OrgId member = members.get(i);
      try {
        HttpResponse<String> r = calls.get(i).join();
        Json.JObject o;
        try {
          o = Json.parseObject(r.body());
        } catch (RuntimeException e) {
          throw new CovenantException(member + "'s node answered " + r.statusCode() + " with a body that is not JSON");
        }
        if (r.statusCode() != 200) throw new CovenantException(member + "'s node did not " + what + ": " + o.string("error", "status " + r.statusCode()));
        answers.add(o);
      } catch (CompletionException e) {
        if (first == null) first = new CovenantException(member + "'s node at " + addresses.get(i) + " could not be reached to " + what + " ("
            + e.getCause().getMessage() + "); start it, then retry the job", e.getCause());
      } catch (CovenantException e) {
        if (first == null) first = e;
        // In the malicious-secure mode the node that detected a deviation says so; the others only saw peers leave.
        if (detection == null && e.getMessage() != null && e.getMessage().contains(io.covenant.mpc.spdz.MaliciousPartyException.MARK)) detection = e;
      }
    }
    if (detection != null) throw detection;
    if (first != null) throw first;
    return answers;
  }
}
