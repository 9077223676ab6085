package io.covenant.node.partyjob;

import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.crypto.WrappedKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
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
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.mpc.engine.PartySession;
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
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.SignedManifest;
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
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

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
  private final Map<JobId, Prepared> prepared = new ConcurrentHashMap<>();
  private final java.util.Set<JobId> started = ConcurrentHashMap.newKeySet();

  private record Prepared(JobRequest job, Committee committee, Party seat, SecureAggregateQuery query, List<DatasetVersion> own,
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
    for (OrgId m : committee.members()) {
      if (ledger.organisation(m).isEmpty()) throw new PartyJobRefusedException("committee member " + m + " is not registered on the ledger");
    }
    if (started.contains(job.id()) || prepared.containsKey(job.id())) {
      throw new PartyJobRefusedException(self + " already took its seat in job " + job.id() + "; a job runs once, submit a new one");
    }
    checkSubmitted(job);
    Map<DatasetVersion, Digest> bound = boundPolicies(job);
    List<Policy> policies = new ArrayList<>();
    for (String text : request.policies()) policies.add(Policy.parse(text));
    for (DatasetVersion d : job.datasets()) {
      Digest expected = bound.get(d);
      Policy p = policies.stream().filter(x -> x.dataset().equals(d.dataset()) && x.hash().equals(expected)).findFirst()
          .orElseThrow(() -> new PartyJobRefusedException("the policies handed over for job " + job.id() + " do not include the one the ledger binds to " + d
              + " (" + (expected == null ? "none" : expected.shortForm() + "…") + "): the coordinator's account differs from the ledger"));
      policies.remove(p);
      policies.add(p);
    }
    if (policies.size() != job.datasets().size()) throw new PartyJobRefusedException("job " + job.id() + " was handed policies for datasets it does not use");
    List<DatasetVersion> own = job.datasets().stream().filter(d -> d.owner().equals(self)).toList();
    Map<DatasetVersion, Policy> ownPolicies = new HashMap<>();
    for (DatasetVersion d : own) ownPolicies.put(d, decisions.authoriseOwnUse(job.id(), d, Engine.MPC));
    if (!(job.computation() instanceof Computation.SqlQuery sql)) {
      throw new PartyJobRefusedException("the multi-party engine runs SQL aggregates; job " + job.id() + " asks for " + job.computation().toJson().string("kind"));
    }
    SecureAggregateQuery query = SecureAggregateQuery.compile(sql.sql(), OutputControls.forPolicies(policies));
    for (DatasetVersion d : job.datasets()) {
      if (!d.dataset().name().equals(query.table())) {
        throw new PartyJobRefusedException("the query reads table " + query.table() + " but input " + d + " is named " + d.dataset().name()
            + ": a multi-party query reads every input as one table");
      }
    }
    Party seat = Party.of(seatIndex);
    TcpPartyChannel.Listener listener = TcpPartyChannel.listen(seat, committee, new InetSocketAddress(bindHost, 0), peerTimeout, tls);
    if (prepared.putIfAbsent(job.id(), new Prepared(job, committee, seat, query, own, ownPolicies, listener, clock.instant())) != null) {
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
      long[] partials = new long[p.query().measurements().size() * p.query().groups()];
      long rows = 0;
      List<Cid> manifests = new ArrayList<>();
      for (DatasetVersion d : p.own()) {
        Loaded loaded = load(d, p.query(), p.ownPolicies().get(d));
        long[] partial = loaded.partials();
        for (int i = 0; i < partials.length; i++) partials[i] += partial[i];
        rows += loaded.rows();
        manifests.add(loaded.manifest());
      }
      long[] contribution = SecureAggregateProgram.contribution(p.query(), partials, p.query().noise(new SecureRandom()));
      java.util.Arrays.fill(partials, 0);
      ShareVector shares;
      try (TcpPartyChannel channel = listener.connect(request.endpoints().get(p.seat().next().index()))) {
        PartySession session = PartySession.start(channel, FixedPoint.DEFAULT);
        shares = SecureAggregateProgram.run(session, p.query(), contribution);
      }
      java.util.Arrays.fill(contribution, 0);
      var consumer = ledger.organisation(p.job().consumer()).orElseThrow(() -> new PartyJobRefusedException("consumer " + p.job().consumer() + " is not registered"));
      byte[] sealed = SealedShares.seal(p.job().id(), p.committee(), p.seat(), p.query().layout(), shares, consumer.encryptionKey());
      for (DatasetVersion d : p.own()) {
        ledger.append(SignedEvent.sign(new AuditEvent.InputShared(p.job().id(), d, rows, (long) contribution.length, p.committee().members()),
            owner.org(), owner.signingKey(), clock.instant()));
      }
      return Json.obj("seat", (long) p.seat().index(), "sealed", java.util.Base64.getEncoder().encodeToString(sealed), "rows", rows,
          "manifests", manifests.stream().map(Cid::toString).toList());
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

  private record Loaded(long[] partials, long rows, Cid manifest) {}

  private Loaded load(DatasetVersion d, SecureAggregateQuery query, Policy policy) {
    Cid manifestCid = manifestOf(d);
    WrappedKey wrapped = wrappedKeys.apply(d).orElseThrow(() -> new KeyReleaseRefusedException(KeyReleaseRefusedException.Reason.NO_KEY,
        owner.org() + " holds no wrapped data key for " + d + "; was this version published by this owner?"));
    DatasetReader reader = new DatasetReader(blocks);
    SignedManifest manifest = reader.manifest(manifestCid, owner.signingKey().verifyingKey());
    DataKey key;
    try {
      key = kek.unwrap(wrapped, d.toString());
    } catch (IntegrityException e) {
      throw new IntegrityException(owner.org() + "'s key-encryption key does not open the wrapped data key of " + d + "; check the owner's keystore", e);
    }
    SubjectKey subjects = kek.subjectKey(d.dataset());
    try (BufferAllocator allocator = new RootAllocator()) {
      OwnerPartials partials = new OwnerPartials(query, policy.consent(), subjects);
      reader.forEachBatch(manifest, key, allocator, batch -> partials.add(batch, d.toString()));
      return new Loaded(partials.totals(), partials.rows(), manifestCid);
    } finally {
      key.destroy();
      subjects.destroy();
    }
  }

  private Cid manifestOf(DatasetVersion d) {
    Cid found = null;
    for (LedgerEntry e : ledger.entries(0, ledger.size())) {
      if (e.event().event() instanceof AuditEvent.DatasetPublished p && p.dataset().equals(d) && e.event().actor().equals(owner.org())) found = p.manifest();
    }
    if (found == null) throw new PartyJobRefusedException("the ledger holds no DATASET_PUBLISHED of " + d + " by " + owner.org());
    return found;
  }

  private void checkSubmitted(JobRequest job) {
    AuditEvent.JobSubmitted submitted = null;
    for (LedgerEntry e : ledger.entriesForJob(job.id())) {
      switch (e.event().event()) {
        case AuditEvent.JobSubmitted s -> {
          if (e.event().actor().equals(s.consumer())) submitted = s;
        }
        case AuditEvent.ResultCommitted r -> throw new PartyJobRefusedException("job " + job.id() + " already committed its result (entry " + e.index() + ")");
        case AuditEvent.JobFailed f -> throw new PartyJobRefusedException("job " + job.id() + " already failed (entry " + e.index() + "); submit a new job");
        default -> { }
      }
    }
    if (submitted == null) throw new PartyJobRefusedException("the ledger holds no JOB_SUBMITTED of job " + job.id() + " signed by its consumer");
    if (!submitted.consumer().equals(job.consumer()) || submitted.engine() != Engine.MPC || !submitted.datasets().equals(job.datasets())
        || !submitted.computationHash().equals(job.computation().hash())) {
      throw new PartyJobRefusedException("job " + job.id() + " as handed over (consumer, engine, datasets or computation) is not the job its consumer signed on the ledger");
    }
  }

  private Map<DatasetVersion, Digest> boundPolicies(JobRequest job) {
    Map<DatasetVersion, Digest> bound = new HashMap<>();
    for (LedgerEntry e : ledger.entriesForJob(job.id())) {
      if (e.event().event() instanceof AuditEvent.JobAuthorized a) {
        for (AuditEvent.PolicyBinding b : a.policies()) bound.put(b.dataset(), b.policyHash());
      }
    }
    if (bound.isEmpty()) throw new PartyJobRefusedException("the ledger holds no JOB_AUTHORIZED for job " + job.id());
    return bound;
  }

  @Override
  public void close() {
    for (Prepared p : prepared.values()) p.listener().close();
    prepared.clear();
  }
}
