package io.covenant.node.partyjob;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.crypto.WrappedKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.Ledger;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.model.SgdSchedule;
import io.covenant.mpc.model.VerticalLogisticRegression;
import io.covenant.mpc.psi.Delivery;
import io.covenant.mpc.psi.IdRule;
import io.covenant.mpc.psi.IdSource;
import io.covenant.mpc.psi.PsiJob;
import io.covenant.mpc.psi.PsiParty;
import io.covenant.mpc.psi.PsiProtocol;
import io.covenant.mpc.psi.PsiResult;
import io.covenant.mpc.psi.PsiRole;
import io.covenant.mpc.transport.RingPeerLink;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.sql.OwnerPartials;
import io.covenant.mpc.sql.SealedShares;
import io.covenant.mpc.sql.SecureAggregateProgram;
import io.covenant.mpc.sql.SecureAggregateQuery;
import io.covenant.mpc.transport.Committee;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.TcpPartyChannel;
import io.covenant.mpc.transport.TlsPeerLinks;
import io.covenant.core.job.MpcSecurity;
import io.covenant.mpc.spdz.LinkNetworks;
import io.covenant.mpc.spdz.SealedSpdzResult;
import io.covenant.mpc.spdz.SpdzAggregateProgram;
import io.covenant.mpc.psi.SealedIntersection;
import io.covenant.node.keyrelease.OwnerKeyService;
import io.covenant.node.ownjob.JobOnOwnLedger;
import io.covenant.node.ownjob.OwnShards;
import io.covenant.policy.OutputControls;
import io.covenant.policy.Policy;
import io.covenant.storage.blockstore.Blockstore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An organisation's seat in a multi-party job ({@code engine=mpc}): the node checks the job against its own verified
 * mirror of the ledger, decides on its own data as it would for a key release ({@link OwnerKeyService#authoriseOwnUse}),
 * decrypts its dataset with its own key in this process, and joins the committee's three-party computation over
 * mutual TLS with the organisations' certificates. Its result is its shares sealed to the consumer; no key, row or
 * share in the clear leaves the node. It records INPUT_SHARED, signed by the owner, with counts only.
 *
 * <p>What the node checks before it opens a party endpoint: the ledger's JOB_SUBMITTED for the job (signed by the
 * consumer) names the mpc engine, exactly the job's datasets, and the hash of the computation the coordinator handed
 * over; the ledger's JOB_AUTHORIZED binds every dataset to the hash of the policy text handed over (so every seat
 * derives the same output controls from texts the owners published); the committee is three distinct organisations,
 * this one among them, and every input's owner sits on it; and for its own datasets, the owner's decision.
 */
public final class PartyJobService implements AutoCloseable {
  private final OrgCredentials owner;
  private final OrgId operator;
  private final OwnerKeyService decisions;
  private final Ledger ledger;
  private final Runnable sync;
  private final MutualTls tls;
  private final InetAddress bindHost;
  private final Duration peerTimeout;
  private final Clock clock;
  private final Optional<java.nio.file.Path> keptIntersections;
  private final Map<JobId, Prepared> prepared = new ConcurrentHashMap<>();
  private final java.util.Set<JobId> started = ConcurrentHashMap.newKeySet();
  private final JobOnOwnLedger checks;
  private final OwnShards shards;

  /** What a seat computes: an aggregate query, a vertical model, or a private set intersection (two seats). */
  private sealed interface Plan permits AggregatePlan, ModelPlan, IntersectionPlan, MaliciousAggregatePlan {}

  /** An aggregate query in the malicious-secure mode: SPDZ between the owners' nodes and the consumer's. */
  private record MaliciousAggregatePlan(SecureAggregateQuery query, List<OrgId> owners) implements Plan {}

  private record IntersectionPlan(Computation.PrivateSetIntersection psi, Map<DatasetVersion, Policy> policies) implements Plan {}

  private record AggregatePlan(SecureAggregateQuery query) implements Plan {}

  private record ModelPlan(Computation.VerticalLogisticRegression model) implements Plan {}

  /**
   * A seat taken: {@code committee} is empty for an intersection (two seats, in {@code seats}); {@code endpoint} is the
   * ring's {@link TcpPartyChannel.Listener} of a committee, or the {@link TlsPeerLinks.Listener} of an intersection.
   */
  private record Prepared(JobRequest job, List<OrgId> seats, Optional<Committee> committee, int seatIndex, Plan plan, List<DatasetVersion> own,
      Map<DatasetVersion, Policy> ownPolicies, AutoCloseable endpoint, java.time.Instant at) {
    Party seat() {
      return Party.of(seatIndex);
    }

    Committee ring() {
      return committee.orElseThrow();
    }

    void closeEndpoint() {
      try {
        endpoint.close();
      } catch (Exception e) {
        // closing a listening socket that failed to close leaves nothing to undo
      }
    }
  }

  /** A seat not started within this long is given up (its endpoint closed): the coordinator failed the job meanwhile. */
  static final Duration SEAT_EXPIRY = Duration.ofMinutes(2);

  /** @param operator the log's operator, the only caller whose scheduling the node takes (it still checks the ledger) */
  public PartyJobService(OrgCredentials owner, OrgId operator, OwnerKeyService decisions, Ledger ledger, Runnable sync, KeyEncryptionKey kek,
      Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys, Blockstore blocks, MutualTls tls, InetAddress bindHost, Duration peerTimeout,
      Clock clock) {
    this(owner, operator, decisions, ledger, sync, kek, wrappedKeys, blocks, tls, bindHost, peerTimeout, clock, Optional.empty());
  }

  /**
   * As above; {@code keptIntersections} is the folder (in the node's data folder) where this node keeps the ids it
   * matched as an intersection's sender when the job says both owners learn them. Without it such jobs are refused.
   */
  public PartyJobService(OrgCredentials owner, OrgId operator, OwnerKeyService decisions, Ledger ledger, Runnable sync, KeyEncryptionKey kek,
      Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys, Blockstore blocks, MutualTls tls, InetAddress bindHost, Duration peerTimeout,
      Clock clock, Optional<java.nio.file.Path> keptIntersections) {
    this.keptIntersections = keptIntersections;
    this.owner = owner;
    this.operator = operator;
    this.decisions = decisions;
    this.ledger = ledger;
    this.sync = sync;
    this.tls = tls;
    this.bindHost = bindHost;
    this.peerTimeout = peerTimeout;
    this.clock = clock;
    this.checks = new JobOnOwnLedger(ledger, PartyJobRefusedException::new);
    this.shards = new OwnShards(owner, kek, wrappedKeys, blocks);
  }

  public OrgId operator() {
    return operator;
  }

  /** Step 1: checks the job and opens this seat's endpoint; answers {@code {"seat", "endpoint"}}. */
  public Json.JObject prepare(PartyJobRequest.Prepare request) {
    giveUpStaleSeats();
    sync.run();
    JobRequest job = request.job();
    List<OrgId> seats = request.seats();
    OrgId self = owner.org();
    if (job.engine() != Engine.MPC) throw new MalformedInputException("job " + job.id() + " is for the " + job.engine().wireName() + " engine, not mpc");
    MpcSecurity security = job.computation() instanceof Computation.SqlQuery q ? q.security() : MpcSecurity.SEMI_HONEST;
    boolean malicious = security == MpcSecurity.MALICIOUS;
    boolean intersection = job.computation() instanceof Computation.PrivateSetIntersection;
    if (malicious) {
      List<OrgId> expected = maliciousParties(job);
      if (!seats.equals(expected)) {
        throw new PartyJobRefusedException("a malicious-secure query's parties are the input owners in the job's order, then the consumer: " + expected
            + ", not " + seats);
      }
    } else if (intersection != (seats.size() == 2)) {
      throw new PartyJobRefusedException("job " + job.id() + " names " + seats.size() + " seats " + seats + ": a private set intersection has two (the "
          + "two owners), every other multi-party job a committee of three");
    }
    Optional<Committee> committee = intersection || malicious ? Optional.empty() : Optional.of(request.committee());
    int seatIndex = seats.indexOf(self);
    if (seatIndex < 0) throw new PartyJobRefusedException(self + " is not on the committee " + seats + " of job " + job.id());
    if (new java.util.HashSet<>(seats).size() != seats.size()) throw new PartyJobRefusedException("the committee " + seats + " names an organisation twice");
    for (DatasetVersion d : job.datasets()) {
      if (!seats.contains(d.owner())) {
        throw new PartyJobRefusedException("the committee " + seats + " leaves out " + d.owner() + ", the owner of input " + d
            + ": every owner feeds its own data from its own seat");
      }
    }
    if (job.computation() instanceof Computation.PrivateSetIntersection psi) {
      List<OrgId> owners = job.datasets().stream().map(DatasetVersion::owner).toList();
      if (owners.size() != 2 || owners.get(0).equals(owners.get(1)) || !owners.contains(job.consumer())) {
        throw new PartyJobRefusedException("a private set intersection takes two datasets of two owners, one of them the consumer (who learns the "
            + "matches); job " + job.id() + " has " + job.datasets() + " for " + job.consumer());
      }
      OrgId other = owners.get(0).equals(job.consumer()) ? owners.get(1) : owners.get(0);
      if (!seats.equals(List.of(job.consumer(), other))) {
        throw new PartyJobRefusedException("an intersection's seats are the consumer (the receiver), then the other owner: " + List.of(job.consumer(), other)
            + ", not " + seats);
      }
      if (psi.learners() == Computation.PrivateSetIntersection.Learners.BOTH && self.equals(other) && keptIntersections.isEmpty()) {
        throw new PartyJobRefusedException(self + "'s node keeps no intersections (it was started without a data folder for them), so it cannot learn "
            + "the matches of job " + job.id() + "; ask with learners consumer");
      }
    }
    if (job.computation() instanceof Computation.VerticalLogisticRegression model) {
      if (job.datasets().size() != 2 || job.datasets().get(0).owner().equals(job.datasets().get(1).owner())) {
        throw new PartyJobRefusedException("a vertical model takes two datasets of two owners (features, then labels); job " + job.id() + " has " + job.datasets());
      }
      List<OrgId> expected = List.of(job.datasets().get(0).owner(), job.datasets().get(1).owner(), model.helper());
      if (!seats.equals(expected)) {
        throw new PartyJobRefusedException("a vertical model's committee is the features' owner, the labels' owner and the helper the consumer named, "
            + expected + ", not " + seats);
      }
    }
    for (OrgId m : seats) {
      if (ledger.organisation(m).isEmpty()) throw new PartyJobRefusedException("committee member " + m + " is not registered on the ledger");
    }
    if (started.contains(job.id()) || prepared.containsKey(job.id())) {
      throw new PartyJobRefusedException(self + " already took its seat in job " + job.id() + "; a job runs once, submit a new one");
    }
    checks.checkSubmitted(job, Engine.MPC);
    List<Policy> policies = checks.boundPolicies(job, request.policies());
    List<DatasetVersion> own = job.datasets().stream().filter(d -> d.owner().equals(self)).toList();
    Map<DatasetVersion, Policy> ownPolicies = new HashMap<>();
    for (DatasetVersion d : own) ownPolicies.put(d, decisions.authoriseOwnUse(job.id(), d, Engine.MPC, security));
    for (DatasetVersion d : own) checkMatchesMayBeRevealed(job, d, ownPolicies.get(d));
    Plan plan = switch (job.computation()) {
      case Computation.SqlQuery sql -> {
        SecureAggregateQuery query = SecureAggregateQuery.compile(sql.sql(), OutputControls.forPolicies(policies));
        for (DatasetVersion d : job.datasets()) {
          if (!d.dataset().name().equals(query.table())) {
            throw new PartyJobRefusedException("the query reads table " + query.table() + " but input " + d + " is named " + d.dataset().name()
                + ": a multi-party query reads every input as one table");
          }
        }
        if (malicious) {
          SpdzAggregateProgram.requireSmall(query);
          yield new MaliciousAggregatePlan(query, seats.subList(0, (int) job.datasets().stream().map(DatasetVersion::owner).distinct().count()));
        }
        yield new AggregatePlan(query);
      }
      case Computation.VerticalLogisticRegression model -> new ModelPlan(model);
      case Computation.PrivateSetIntersection psi -> {
        Map<DatasetVersion, Policy> all = new HashMap<>();
        for (int i = 0; i < job.datasets().size(); i++) all.put(job.datasets().get(i), policies.get(i)); // boundPolicies answers in the job's order
        yield new IntersectionPlan(psi, all);
      }
      default -> throw new PartyJobRefusedException("the multi-party engine runs SQL aggregates, vertical logistic regression and set intersections; job " + job.id()
          + " asks for " + job.computation().toJson().string("kind"));
    };
    AutoCloseable listener;
    int port;
    if (committee.isPresent()) {
      TcpPartyChannel.Listener ring = TcpPartyChannel.listen(Party.of(seatIndex), committee.get(), new InetSocketAddress(bindHost, 0), peerTimeout, tls);
      listener = ring;
      port = ring.address().getPort();
    } else {
      TlsPeerLinks.Listener pair = TlsPeerLinks.listen(tls, new InetSocketAddress(bindHost, 0), peerTimeout);
      listener = pair;
      port = pair.address().getPort();
    }
    Prepared seat = new Prepared(job, seats, committee, seatIndex, plan, own, ownPolicies, listener, clock.instant());
    if (prepared.putIfAbsent(job.id(), seat) != null) {
      seat.closeEndpoint();
      throw new PartyJobRefusedException(self + " already took its seat in job " + job.id());
    }
    InetSocketAddress endpoint = new InetSocketAddress(bindHost, port);
    return Json.obj("seat", (long) seatIndex, "endpoint", PartyJobRequest.text(endpoint));
  }

  /** Step 2: joins the committee and computes; answers this seat's sealed shares and what it read. */
  public Json.JObject run(PartyJobRequest.Run request) {
    Prepared p = prepared.remove(request.job());
    if (p == null) throw new PartyJobRefusedException(owner.org() + " has no prepared seat for job " + request.job() + " (it ran already, or was never prepared)");
    started.add(request.job());
    if (request.endpoints().size() != p.seats().size()) {
      p.closeEndpoint();
      throw new PartyJobRefusedException("job " + request.job() + " started with " + request.endpoints().size() + " endpoints for " + p.seats().size() + " seats");
    }
    if (p.plan() instanceof IntersectionPlan i) {
      try {
        return intersect(p, i, request);
      } finally {
        p.closeEndpoint();
      }
    }
    if (p.plan() instanceof MaliciousAggregatePlan m) {
      try {
        return maliciousAggregate(p, m, request);
      } finally {
        p.closeEndpoint();
      }
    }
    try (TcpPartyChannel.Listener listener = (TcpPartyChannel.Listener) p.endpoint()) {
      Sealed sealed = switch (p.plan()) {
        case AggregatePlan a -> aggregate(p, a.query(), listener, request);
        case ModelPlan m -> model(p, m.model(), listener, request);
        case IntersectionPlan i -> throw new IllegalStateException("an intersection has no ring");
        case MaliciousAggregatePlan m -> throw new IllegalStateException("a malicious-secure query has no ring");
      };
      var consumer = ledger.organisation(p.job().consumer()).orElseThrow(() -> new PartyJobRefusedException("consumer " + p.job().consumer() + " is not registered"));
      byte[] bytes = SealedShares.seal(p.job().id(), p.ring(), p.seat(), sealed.layout(), sealed.shares(), consumer.encryptionKey());
      for (DatasetVersion d : p.own()) {
        ledger.append(SignedEvent.sign(new AuditEvent.InputShared(p.job().id(), d, sealed.rows(), sealed.sharedValues(), p.ring().members()),
            owner.org(), owner.signingKey(), clock.instant()));
      }
      return Json.obj("seat", (long) p.seatIndex(), "sealed", java.util.Base64.getEncoder().encodeToString(bytes), "rows", sealed.rows());
    }
  }

  /**
   * The owner's own check, whatever the operator authorised: whoever learns the output of a PSI on this dataset's ids
   * learns which of its own ids occur here. If that is another organisation (the consumer, or the other owner of an
   * intersection both learn, or of a vertical model's alignment), the owner's policy must allow it.
   */
  private void checkMatchesMayBeRevealed(JobRequest job, DatasetVersion d, Policy policy) {
    String other = switch (job.computation()) {
      case Computation.PrivateSetIntersection psi -> !job.consumer().equals(owner.org()) ? job.consumer().toString()
          : psi.learners() == Computation.PrivateSetIntersection.Learners.BOTH ? "the other owner" : null;
      case Computation.VerticalLogisticRegression v -> "the other owner";
      default -> null;
    };
    if (other != null && !policy.matching().revealMatches()) {
      throw new PartyJobRefusedException(owner.org() + "'s policy for " + d + " does not let " + other + " learn which of its ids occur in it "
          + "(matching.revealMatches is false), which job " + job.id() + " would reveal; the owner's node takes no part");
    }
  }

  /**
   * An intersection: the consumer's node (seat 0, the PSI's receiver; KKRT16 or ECDH-PSI, as the job asks) dials the
   * other owner's node (seat 1, sender) over mutual TLS; each reads only its id column. The receiver's matched ids are sealed to the consumer; the sender learns
   * its matched ids only when the job says both learn (then it keeps them in its own data folder, never sending them).
   * The receiver reports the number of matches for the ledger only if every owner's policy allows it
   * ({@code matching.revealCount}).
   */
  private Json.JObject intersect(Prepared p, IntersectionPlan plan, PartyJobRequest.Run request) {
    Computation.PrivateSetIntersection psi = plan.psi();
    DatasetVersion d = p.own().getFirst();
    Policy mine = p.ownPolicies().get(d);
    boolean receiver = p.seatIndex() == 0;
    VerticalRows[] rows = new VerticalRows[1];
    long read = read(d, subjects -> {
      rows[0] = new VerticalRows(psi.idColumn(), List.of(), mine.consent(), subjects, d.toString());
      return rows[0]::add;
    });
    List<String> ids = rows[0].ids();
    boolean both = psi.learners() == Computation.PrivateSetIntersection.Learners.BOTH;
    PsiProtocol protocol = Computation.PrivateSetIntersection.ECDH_P256.equals(psi.protocol()) ? PsiProtocol.ECDH_P256 : PsiProtocol.KKRT16;
    PsiJob job = new PsiJob(p.job().id().value(), protocol, IdRule.CASE_SENSITIVE, both ? Delivery.BOTH : Delivery.RECEIVER_ONLY, 2);
    OrgId peer = p.seats().get(1 - p.seatIndex());
    PsiResult result;
    try (io.covenant.mpc.transport.PeerLink link = receiver
        ? TlsPeerLinks.connect(tls, request.endpoints().get(1), peer, p.job().id(), peerTimeout)
        : ((TlsPeerLinks.Listener) p.endpoint()).accept(p.job().id(), peer)) {
      result = PsiParty.intersect(job, receiver ? PsiRole.RECEIVER : PsiRole.SENDER, IdSource.of(ids), link);
    }
    java.util.SortedSet<String> matched = new java.util.TreeSet<>();
    if (result instanceof PsiResult.Intersection hit) for (int r : hit.rows()) matched.add(ids.get(r));
    if (!receiver && both) keep(p.job().id(), psi, matched);
    ledger.append(SignedEvent.sign(new AuditEvent.InputShared(p.job().id(), d, read, 0, p.seats()), owner.org(), owner.signingKey(), clock.instant()));
    var consumer = ledger.organisation(p.job().consumer()).orElseThrow(() -> new PartyJobRefusedException("consumer " + p.job().consumer() + " is not registered"));
    byte[] bytes = SealedIntersection.seal(p.job().id(), p.seatIndex(), owner.org(), psi, read, receiver ? List.copyOf(matched) : List.of(), consumer.encryptionKey());
    boolean countMayBeRecorded = plan.policies().values().stream().allMatch(x -> x.matching().revealCount());
    Json.JObject answer = Json.obj("seat", (long) p.seatIndex(), "sealed", java.util.Base64.getEncoder().encodeToString(bytes), "rows", read);
    if (!receiver || !countMayBeRecorded) return answer;
    Map<String, Json> members = new java.util.LinkedHashMap<>(answer.members());
    members.put("matched", Json.from((long) matched.size()));
    return new Json.JObject(members);
  }

  /** The sender's matched ids, kept at its own node: one per line, written whole (temporary file, then an atomic move), owner-only. */
  private void keep(JobId job, Computation.PrivateSetIntersection psi, java.util.SortedSet<String> matched) {
    java.nio.file.Path folder = keptIntersections.orElseThrow();
    try {
      java.nio.file.Files.createDirectories(folder);
      java.nio.file.Path target = folder.resolve(job.value() + ".txt");
      java.nio.file.Path temp = java.nio.file.Files.createTempFile(folder, job.value(), ".part",
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      java.nio.file.Files.write(temp, ("# " + psi.idColumn() + " values of job " + job.value() + " that the other owner also holds\n" + String.join("\n", matched)
          + (matched.isEmpty() ? "" : "\n")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new CovenantException(owner.org() + "'s node could not keep the matches of job " + job + " in " + folder + " (" + e.getMessage() + "); free the folder, then submit the job again", e);
    }
  }

  /** The parties of a malicious-secure query: the input owners in the job's order, then the consumer unless it owns an input. */
  static List<OrgId> maliciousParties(JobRequest job) {
    java.util.LinkedHashSet<OrgId> parties = new java.util.LinkedHashSet<>();
    for (DatasetVersion d : job.datasets()) parties.add(d.owner());
    parties.add(job.consumer());
    return List.copyOf(parties);
  }

  /**
   * A query in the malicious-secure mode: every party links to every other over mutual TLS (a party dials those before
   * it and accepts those after it), the owners input their contributions, and SPDZ opens the result toward the
   * consumer's party alone, after its MAC check. The consumer's node seals what it received to the consumer; the other
   * nodes return no part. A failed check throws {@link io.covenant.mpc.spdz.MaliciousPartyException}: the job fails,
   * and nothing is sealed or recorded but the owners' INPUT_SHARED of a run that got that far.
   */
  private Json.JObject maliciousAggregate(Prepared p, MaliciousAggregatePlan plan, PartyJobRequest.Run request) {
    SecureAggregateQuery query = plan.query();
    long[] contribution = null;
    long rows = 0;
    if (!p.own().isEmpty()) {
      long[] partials = new long[query.measurements().size() * query.groups()];
      for (DatasetVersion d : p.own()) {
        OwnerPartials[] own = new OwnerPartials[1];
        read(d, subjects -> {
          own[0] = new OwnerPartials(query, p.ownPolicies().get(d).consent(), subjects);
          return batch -> own[0].add(batch, d.toString());
        });
        rows += own[0].rows();
        long[] partial = own[0].totals();
        for (int i = 0; i < partials.length; i++) partials[i] += partial[i];
      }
      contribution = SecureAggregateProgram.contribution(query, partials, query.noise(new SecureRandom()));
      java.util.Arrays.fill(partials, 0);
    }
    OrgId self = owner.org();
    Map<OrgId, io.covenant.mpc.transport.PeerLink> links = new HashMap<>();
    SpdzAggregateProgram.Outcome outcome;
    try {
      for (int j = 0; j < p.seatIndex(); j++) {
        links.put(p.seats().get(j), TlsPeerLinks.connect(tls, request.endpoints().get(j), p.seats().get(j), p.job().id(), peerTimeout));
      }
      java.util.Set<OrgId> later = new java.util.LinkedHashSet<>(p.seats().subList(p.seatIndex() + 1, p.seats().size()));
      if (!later.isEmpty()) links.putAll(((TlsPeerLinks.Listener) p.endpoint()).acceptAll(p.job().id(), later));
      try (LinkNetworks networks = new LinkNetworks(p.seats(), self, links)) {
        outcome = SpdzAggregateProgram.run(networks, plan.owners(), p.job().consumer(), query, contribution, MALICIOUS_RUN_LIMIT);
      }
    } finally {
      for (io.covenant.mpc.transport.PeerLink l : links.values()) l.close();
      if (contribution != null) java.util.Arrays.fill(contribution, 0);
    }
    long shared = contribution == null ? 0 : (long) (query.measurements().size() + 1) * query.groups();
    for (DatasetVersion d : p.own()) {
      ledger.append(SignedEvent.sign(new AuditEvent.InputShared(p.job().id(), d, rows, shared, p.seats(), MpcSecurity.MALICIOUS),
          owner.org(), owner.signingKey(), clock.instant()));
    }
    Json.JObject answer = Json.obj("seat", (long) p.seatIndex(), "rows", rows, "security", MpcSecurity.MALICIOUS.wireName(), "triples", outcome.triples());
    if (outcome.released().isEmpty()) return answer;
    var consumer = ledger.organisation(p.job().consumer()).orElseThrow(() -> new PartyJobRefusedException("consumer " + p.job().consumer() + " is not registered"));
    byte[] sealed = SealedSpdzResult.seal(p.job().id(), p.seats(), query, outcome.released().get(), consumer.encryptionKey());
    Map<String, Json> members = new java.util.LinkedHashMap<>(answer.members());
    members.put("sealed", Json.from(java.util.Base64.getEncoder().encodeToString(sealed)));
    return new Json.JObject(members);
  }

  /** How long a malicious-secure run may take once every party is linked (MASCOT's preprocessing is slow in Java). */
  static final Duration MALICIOUS_RUN_LIMIT = Duration.ofMinutes(30);

  /** A seat's outcome: its shares, the layout all seats agree on, and what INPUT_SHARED says of its input. */
  private record Sealed(ShareVector shares, Json.JObject layout, long rows, long sharedValues) {}

  private Sealed aggregate(Prepared p, SecureAggregateQuery query, TcpPartyChannel.Listener listener, PartyJobRequest.Run request) {
    long[] partials = new long[query.measurements().size() * query.groups()];
    long rows = 0;
    for (DatasetVersion d : p.own()) {
      OwnerPartials[] own = new OwnerPartials[1];
      read(d, subjects -> {
        own[0] = new OwnerPartials(query, p.ownPolicies().get(d).consent(), subjects);
        return batch -> own[0].add(batch, d.toString());
      });
      rows += own[0].rows();
      long[] partial = own[0].totals();
      for (int i = 0; i < partials.length; i++) partials[i] += partial[i];
    }
    long[] contribution = SecureAggregateProgram.contribution(query, partials, query.noise(new SecureRandom()));
    java.util.Arrays.fill(partials, 0);
    ShareVector shares;
    try (TcpPartyChannel channel = listener.connect(request.endpoints().get(p.seat().next().index()))) {
      shares = SecureAggregateProgram.run(PartySession.start(channel, FixedPoint.DEFAULT), query, contribution);
    }
    return new Sealed(shares, query.layout(), rows, contribution.length);
  }

  /**
   * A vertical model: the features' and labels' owners (seats 0 and 1) read their id column and their columns and
   * intersect their ids by PSI in the payload mode (KKRT16 over the ring's link between them: both learn the aligned
   * order, as both policies' matching.revealMatches allow, and each ends with additive shares of both sides' aligned
   * columns, never the other's values); seat 0 tells the helper (seat 2) how many rows matched, and the three train on
   * the shares, opening nothing.
   */
  private Sealed model(Prepared p, Computation.VerticalLogisticRegression model, TcpPartyChannel.Listener listener, PartyJobRequest.Run request) {
    Party seat = p.seat();
    List<String> ids = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    List<String> columns = seat.index() == 0 ? model.features() : List.of(model.label());
    long rowsRead = 0;
    for (DatasetVersion d : p.own()) {
      VerticalRows[] own = new VerticalRows[1];
      read(d, subjects -> {
        own[0] = new VerticalRows(model.idColumn(), columns, p.ownPolicies().get(d).consent(), subjects, d.toString());
        return own[0]::add;
      });
      ids.addAll(own[0].ids());
      values.addAll(own[0].values());
      rowsRead += own[0].ids().size();
    }
    int features = model.features().size();
    try (TcpPartyChannel channel = listener.connect(request.endpoints().get(seat.next().index()))) {
      PartySession session = PartySession.start(channel, FixedPoint.DEFAULT);
      int n;
      long[] featureShares = null;
      long[] labelShares = null;
      if (seat.index() < 2) {
        PsiJob psi = new PsiJob(p.job().id().value(), PsiProtocol.KKRT16, IdRule.CASE_SENSITIVE, Delivery.BOTH, 2);
        double[][] byColumn = new double[columns.size()][values.size()];
        for (int r = 0; r < values.size(); r++) for (int c = 0; c < columns.size(); c++) byColumn[c][r] = values.get(r)[c];
        io.covenant.mpc.psi.AlignedShares aligned = PsiParty.intersectWithPayload(psi, seat.index() == 0 ? PsiRole.RECEIVER : PsiRole.SENDER,
            IdSource.of(ids), new io.covenant.mpc.psi.FeatureColumns(columns, byColumn), FixedPoint.DEFAULT,
            RingPeerLink.toward(channel, seat.index() == 0 ? Party.P1 : Party.P0));
        n = aligned.rows().length;
        // The receiver's columns come first: the features (seat 0's), then the label (seat 1's).
        List<io.covenant.mpc.psi.AlignedShares.SharedColumn> shared = aligned.columns();
        if (shared.size() != features + 1) {
          throw new PartyJobRefusedException("the PSI payload holds " + shared.size() + " columns where the model has " + features + " features and a label");
        }
        featureShares = new long[n * features];
        for (int c = 0; c < features; c++) {
          long[] column = shared.get(c).share();
          for (int i = 0; i < n; i++) featureShares[i * features + c] = column[i];
        }
        labelShares = shared.get(features).share();
        if (seat.index() == 0) channel.sendToPrevious(new long[] {n});
      } else {
        long[] announced = channel.receiveFromNext();
        if (announced.length != 1 || announced[0] < 0 || announced[0] > Integer.MAX_VALUE) {
          throw new PartyJobRefusedException(p.ring().member(Party.P0) + " announced no valid number of matched rows");
        }
        n = (int) announced[0];
      }
      if (n < 2) throw new PartyJobRefusedException("the two datasets share " + n + " id(s); a model needs at least two matched rows");
      SgdSchedule schedule = new SgdSchedule(model.epochs(), model.batchSize(), model.learningRate().doubleValue());
      ShareVector w = VerticalLogisticRegression.trainSharedOnPayload(session, new VerticalLogisticRegression.Roles(Party.P0, Party.P1, Party.P2), n,
          features, featureShares, labelShares, schedule);
      Json.JObject layout = Json.obj("kind", "vertical-logistic-regression", "computation", model.toJson(), "rows", (long) n);
      // The ledger is read by every auditor: it counts what the owner read, not what matched, so it does not reveal the
      // intersection's size (the parties and the consumer learn it).
      return new Sealed(w, layout, rowsRead, rowsRead * columns.size());
    }
  }

  /** Reads a dataset version of this owner, batch by batch, with its subject key for consent exclusions; returns rows read. */
  private long read(DatasetVersion d, java.util.function.Function<SubjectKey, java.util.function.Consumer<org.apache.arrow.vector.VectorSchemaRoot>> reader) {
    return shards.read(d, checks.manifestOf(d, owner.org()), reader);
  }

  private void giveUpStaleSeats() {
    java.time.Instant cutoff = clock.instant().minus(SEAT_EXPIRY);
    prepared.values().removeIf(p -> {
      if (!p.at().isBefore(cutoff)) return false;
      p.closeEndpoint();
      return true;
    });
  }

  @Override
  public void close() {
    for (Prepared p : prepared.values()) p.closeEndpoint();
    prepared.clear();
  }
}
