package io.covenant.node.partyjob;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.OrgCredentials;
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
import io.covenant.node.keyrelease.OwnerKeyService;
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
  private final KeyEncryptionKey kek;
  private final Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys;
  private final Blockstore blocks;
  private final MutualTls tls;
  private final InetAddress bindHost;
  private final Duration peerTimeout;
  private final Clock clock;
  private final OwnJobChecks checks;
  private final Map<JobId, Prepared> prepared = new ConcurrentHashMap<>();
  private final java.util.Set<JobId> started = ConcurrentHashMap.newKeySet();

  /** What a seat computes: an aggregate query, or a vertical model. */
  private sealed interface Plan permits AggregatePlan, ModelPlan {}

  private record AggregatePlan(SecureAggregateQuery query) implements Plan {}

  private record ModelPlan(Computation.VerticalLogisticRegression model) implements Plan {}

  private record Prepared(JobRequest job, Committee committee, Party seat, Plan plan, List<DatasetVersion> own,
      Map<DatasetVersion, Policy> ownPolicies, TcpPartyChannel.Listener listener, java.time.Instant at) {}

  /** A seat not started within this long is given up (its endpoint closed): the coordinator failed the job meanwhile. */
  static final Duration SEAT_EXPIRY = Duration.ofMinutes(2);

  /** @param operator the log's operator, the only caller whose scheduling the node takes (it still checks the ledger) */
  public PartyJobService(OrgCredentials owner, OrgId operator, OwnerKeyService decisions, Ledger ledger, Runnable sync, KeyEncryptionKey kek,
      Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys, Blockstore blocks, MutualTls tls, InetAddress bindHost, Duration peerTimeout,
      Clock clock) {
    this.owner = owner;
    this.operator = operator;
    this.decisions = decisions;
    this.ledger = ledger;
    this.sync = sync;
    this.kek = kek;
    this.wrappedKeys = wrappedKeys;
    this.blocks = blocks;
    this.tls = tls;
    this.bindHost = bindHost;
    this.peerTimeout = peerTimeout;
    this.clock = clock;
    this.checks = new OwnJobChecks(owner, ledger, kek, wrappedKeys, blocks);
  }

  public OrgId operator() {
    return operator;
  }

  /** Step 1: checks the job and opens this seat's endpoint; answers {@code {"seat", "endpoint"}}. */
  public Json.JObject prepare(PartyJobRequest.Prepare request) {
    giveUpStaleSeats();
    sync.run();
    JobRequest job = request.job();
    Committee committee = request.committee();
    OrgId self = owner.org();
    if (job.engine() != Engine.MPC) throw new MalformedInputException("job " + job.id() + " is for the " + job.engine().wireName() + " engine, not mpc");
    int seatIndex = committee.members().indexOf(self);
    if (seatIndex < 0) throw new PartyJobRefusedException(self + " is not on the committee " + committee.members() + " of job " + job.id());
    if (new java.util.HashSet<>(committee.members()).size() != 3) throw new PartyJobRefusedException("the committee " + committee.members() + " does not name three distinct organisations");
    for (DatasetVersion d : job.datasets()) {
      if (!committee.members().contains(d.owner())) {
        throw new PartyJobRefusedException("the committee " + committee.members() + " leaves out " + d.owner() + ", the owner of input " + d
            + ": every owner feeds its own data from its own seat");
      }
    }
    if (job.computation() instanceof Computation.VerticalLogisticRegression model) {
      if (job.datasets().size() != 2 || job.datasets().get(0).owner().equals(job.datasets().get(1).owner())) {
        throw new PartyJobRefusedException("a vertical model takes two datasets of two owners (features, then labels); job " + job.id() + " has " + job.datasets());
      }
      List<OrgId> expected = List.of(job.datasets().get(0).owner(), job.datasets().get(1).owner(), model.helper());
      if (!committee.members().equals(expected)) {
        throw new PartyJobRefusedException("a vertical model's committee is the features' owner, the labels' owner and the helper the consumer named, "
            + expected + ", not " + committee.members());
      }
    }
    for (OrgId m : committee.members()) {
      if (ledger.organisation(m).isEmpty()) throw new PartyJobRefusedException("committee member " + m + " is not registered on the ledger");
    }
    if (started.contains(job.id()) || prepared.containsKey(job.id())) {
      throw new PartyJobRefusedException(self + " already took its seat in job " + job.id() + "; a job runs once, submit a new one");
    }
    checks.checkSubmitted(job, Engine.MPC);
    List<Policy> policies = checks.boundPolicies(job, request.policies());
    List<DatasetVersion> own = job.datasets().stream().filter(d -> d.owner().equals(self)).toList();
    Map<DatasetVersion, Policy> ownPolicies = new HashMap<>();
    for (DatasetVersion d : own) ownPolicies.put(d, decisions.authoriseOwnUse(job.id(), d, Engine.MPC));
    Plan plan = switch (job.computation()) {
      case Computation.SqlQuery sql -> {
        SecureAggregateQuery query = SecureAggregateQuery.compile(sql.sql(), OutputControls.forPolicies(policies));
        for (DatasetVersion d : job.datasets()) {
          if (!d.dataset().name().equals(query.table())) {
            throw new PartyJobRefusedException("the query reads table " + query.table() + " but input " + d + " is named " + d.dataset().name()
                + ": a multi-party query reads every input as one table");
          }
        }
        yield new AggregatePlan(query);
      }
      case Computation.VerticalLogisticRegression model -> new ModelPlan(model);
      default -> throw new PartyJobRefusedException("the multi-party engine runs SQL aggregates and vertical logistic regression; job " + job.id()
          + " asks for " + job.computation().toJson().string("kind"));
    };
    Party seat = Party.of(seatIndex);
    TcpPartyChannel.Listener listener = TcpPartyChannel.listen(seat, committee, new InetSocketAddress(bindHost, 0), peerTimeout, tls);
    if (prepared.putIfAbsent(job.id(), new Prepared(job, committee, seat, plan, own, ownPolicies, listener, clock.instant())) != null) {
      listener.close();
      throw new PartyJobRefusedException(self + " already took its seat in job " + job.id());
    }
    InetSocketAddress endpoint = new InetSocketAddress(bindHost, listener.address().getPort());
    return Json.obj("seat", (long) seatIndex, "endpoint", PartyJobRequest.text(endpoint));
  }

  /** Step 2: joins the committee and computes; answers this seat's sealed shares and what it read. */
  public Json.JObject run(PartyJobRequest.Run request) {
    Prepared p = prepared.remove(request.job());
    if (p == null) throw new PartyJobRefusedException(owner.org() + " has no prepared seat for job " + request.job() + " (it ran already, or was never prepared)");
    started.add(request.job());
    try (TcpPartyChannel.Listener listener = p.listener()) {
      Sealed sealed = switch (p.plan()) {
        case AggregatePlan a -> aggregate(p, a.query(), listener, request);
        case ModelPlan m -> model(p, m.model(), listener, request);
      };
      var consumer = ledger.organisation(p.job().consumer()).orElseThrow(() -> new PartyJobRefusedException("consumer " + p.job().consumer() + " is not registered"));
      byte[] bytes = SealedShares.seal(p.job().id(), p.committee(), p.seat(), sealed.layout(), sealed.shares(), consumer.encryptionKey());
      for (DatasetVersion d : p.own()) {
        ledger.append(SignedEvent.sign(new AuditEvent.InputShared(p.job().id(), d, sealed.rows(), sealed.sharedValues(), p.committee().members()),
            owner.org(), owner.signingKey(), clock.instant()));
      }
      return Json.obj("seat", (long) p.seat().index(), "sealed", java.util.Base64.getEncoder().encodeToString(bytes), "rows", sealed.rows());
    }
  }

  /** A seat's outcome: its shares, the layout all seats agree on, and what INPUT_SHARED says of its input. */
  private record Sealed(ShareVector shares, Json.JObject layout, long rows, long sharedValues) {}

  private Sealed aggregate(Prepared p, SecureAggregateQuery query, TcpPartyChannel.Listener listener, PartyJobRequest.Run request) {
    long[] partials = new long[query.measurements().size() * query.groups()];
    long rows = 0;
    for (DatasetVersion d : p.own()) {
      OwnerPartials[] own = new OwnerPartials[1];
      checks.read(d, subjects -> {
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
   * A vertical model: the features' and labels' owners (seats 0 and 1) read their id column and their columns, intersect
   * their ids by PSI (KKRT16, over the ring's link between them, both learning the aligned order), seat 0 tells the
   * helper (seat 2) how many rows matched, and the three train on the aligned rows, opening nothing.
   */
  private Sealed model(Prepared p, Computation.VerticalLogisticRegression model, TcpPartyChannel.Listener listener, PartyJobRequest.Run request) {
    Party seat = p.seat();
    List<String> ids = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    List<String> columns = seat.index() == 0 ? model.features() : List.of(model.label());
    long rowsRead = 0;
    for (DatasetVersion d : p.own()) {
      VerticalRows[] own = new VerticalRows[1];
      checks.read(d, subjects -> {
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
      double[][] alignedFeatures = null;
      double[] alignedLabels = null;
      if (seat.index() < 2) {
        PsiJob psi = new PsiJob(p.job().id().value(), PsiProtocol.KKRT16, IdRule.CASE_SENSITIVE, Delivery.BOTH, 2);
        PsiResult result = PsiParty.intersect(psi, seat.index() == 0 ? PsiRole.RECEIVER : PsiRole.SENDER, IdSource.of(ids),
            RingPeerLink.toward(channel, seat.index() == 0 ? Party.P1 : Party.P0));
        if (!(result instanceof PsiResult.Intersection hit)) throw new PartyJobRefusedException("the PSI withheld the intersection from " + owner.org());
        int[] rows = hit.rows();
        n = rows.length;
        if (seat.index() == 0) {
          channel.sendToPrevious(new long[] {n});
          alignedFeatures = new double[n][];
          for (int i = 0; i < n; i++) alignedFeatures[i] = values.get(rows[i]);
        } else {
          alignedLabels = new double[n];
          for (int i = 0; i < n; i++) alignedLabels[i] = values.get(rows[i])[0];
        }
      } else {
        long[] announced = channel.receiveFromNext();
        if (announced.length != 1 || announced[0] < 0 || announced[0] > Integer.MAX_VALUE) {
          throw new PartyJobRefusedException(p.committee().member(Party.P0) + " announced no valid number of matched rows");
        }
        n = (int) announced[0];
      }
      if (n < 2) throw new PartyJobRefusedException("the two datasets share " + n + " id(s); a model needs at least two matched rows");
      SgdSchedule schedule = new SgdSchedule(model.epochs(), model.batchSize(), model.learningRate().doubleValue());
      ShareVector w = VerticalLogisticRegression.trainShared(session, new VerticalLogisticRegression.Roles(Party.P0, Party.P1, Party.P2), n, features,
          alignedFeatures, alignedLabels, schedule);
      Json.JObject layout = Json.obj("kind", "vertical-logistic-regression", "computation", model.toJson(), "rows", (long) n);
      // The ledger is read by every auditor: it counts what the owner read, not what matched, so it does not reveal the
      // intersection's size (the parties and the consumer learn it).
      return new Sealed(w, layout, rowsRead, rowsRead * columns.size());
    }
  }

  private void giveUpStaleSeats() {
    java.time.Instant cutoff = clock.instant().minus(SEAT_EXPIRY);
    prepared.values().removeIf(p -> {
      if (!p.at().isBefore(cutoff)) return false;
      p.listener().close();
      return true;
    });
  }

  @Override
  public void close() {
    for (Prepared p : prepared.values()) p.listener().close();
    prepared.clear();
  }
}
