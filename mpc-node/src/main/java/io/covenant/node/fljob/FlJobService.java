package io.covenant.node.fljob;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.WrappedKey;
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
import io.covenant.mpc.fl.FlJobSpec;
import io.covenant.mpc.fl.FlRoster;
import io.covenant.mpc.fl.HospitalOutcome;
import io.covenant.mpc.fl.HospitalProgram;
import io.covenant.mpc.fl.data.LabelledData;
import io.covenant.mpc.fl.privacy.PrivacyBudget;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.TlsPeerLinks;
import io.covenant.node.keyrelease.OwnerKeyService;
import io.covenant.node.ownjob.JobOnOwnLedger;
import io.covenant.node.ownjob.OwnShards;
import io.covenant.policy.Policy;
import io.covenant.storage.blockstore.Blockstore;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A hospital's part in a federated job ({@code engine=fl}): the node checks the job against its own verified mirror of
 * the ledger ({@link JobOnOwnLedger}, as a multi-party seat does), decides on its own data as it would for a key release
 * ({@link OwnerKeyService#authoriseOwnUse}, engine fl), decrypts its own dataset with its own key in this process,
 * and trains locally round by round ({@link HospitalProgram}), sending only updates masked by secure aggregation to
 * the aggregator over a mutual-TLS peer link. No row, key or unmasked update leaves the node.
 *
 * <p>What the node checks before it reads anything: the consumer's JOB_SUBMITTED names the fl engine, exactly the
 * job's datasets and the hash of the federated computation handed over; the operator's JOB_AUTHORIZED binds each input
 * to the policy text handed over; the roster's hospitals are exactly the owners of the job's inputs, this organisation
 * among them, and the aggregator is the log's operator (the only organisation whose scheduling the node takes); its
 * own policy is current and allows engine fl, and has a training section listing every column the model uses and a
 * minimum number of rows the node's complete rows meet.
 *
 * <p><b>Privacy budget.</b> Under a policy with a privacy budget the computation must be differentially private; the
 * job's JOB_AUTHORIZED debited the policy's epsilonPerQuery for it, and the node lets the job spend no more: before each
 * round it composes the rounds it contributed to with the Rényi-DP accountant and declines the round that would take
 * its spend over that allowance (or over what is left of epsilonTotal, whichever is less), stopping its part in the job.
 * The decline reaches the aggregator with its reason (the round's FL_ROUND_COMPLETED names the hospital as declined), and
 * the node records it as KEY_RELEASE_REFUSED (reason budget-exhausted), signed by the owner, before it answers.
 */
public final class FlJobService implements AutoCloseable {
  /** A prepared part not run within this long is dropped: the coordinator failed the job meanwhile. */
  static final Duration PREPARED_EXPIRY = Duration.ofMinutes(2);

  private final OrgCredentials owner;
  private final OrgId operator;
  private final OwnerKeyService decisions;
  private final Ledger ledger;
  private final Runnable sync;
  private final MutualTls tls;
  private final String aggregatorHost;
  private final Duration peerTimeout;
  private final Clock clock;
  private final JobOnOwnLedger checks;
  private final OwnShards shards;
  private final Map<JobId, Prepared> prepared = new ConcurrentHashMap<>();
  private final Set<JobId> started = ConcurrentHashMap.newKeySet();

  private record Prepared(JobRequest job, FlJobSpec spec, FlRoster roster, LabelledData data, PrivacyBudget budget, List<DatasetVersion> own, Instant at) {}

  /**
   * @param operator the log's operator: the only organisation whose scheduling the node takes, and the aggregator
   * @param aggregatorHost the host of the coordinator this node is configured with; the node dials the aggregator there
   */
  public FlJobService(OrgCredentials owner, OrgId operator, OwnerKeyService decisions, Ledger ledger, Runnable sync, KeyEncryptionKey kek,
      Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys, Blockstore blocks, MutualTls tls, String aggregatorHost, Duration peerTimeout, Clock clock) {
    this.owner = owner;
    this.operator = operator;
    this.decisions = decisions;
    this.ledger = ledger;
    this.sync = sync;
    this.tls = tls;
    this.aggregatorHost = aggregatorHost;
    this.peerTimeout = peerTimeout;
    this.clock = clock;
    this.checks = new JobOnOwnLedger(ledger, FlJobRefusedException::new);
    this.shards = new OwnShards(owner, kek, wrappedKeys, blocks);
  }

  public OrgId operator() {
    return operator;
  }

  /** Step 1: checks the job, decides on this owner's data and reads it; answers {@code {"hospital", "features"}}. */
  public Json.JObject prepare(FlJobRequest.Prepare request) {
    giveUpStale();
    sync.run();
    JobRequest job = request.job();
    FlRoster roster = request.roster();
    OrgId self = owner.org();
    if (job.engine() != Engine.FL) throw new MalformedInputException("job " + job.id() + " is for the " + job.engine().wireName() + " engine, not fl");
    if (!(job.computation() instanceof Computation.FederatedTraining training)) {
      throw new FlJobRefusedException("the fl engine runs federated training; job " + job.id() + " asks for " + job.computation().toJson().string("kind"));
    }
    if (!roster.aggregator().equals(operator)) {
      throw new FlJobRefusedException("job " + job.id() + " names " + roster.aggregator() + " as its aggregator, but " + self + " sends its masked updates only to "
          + "the log's operator " + operator);
    }
    LinkedHashSet<OrgId> owners = new LinkedHashSet<>();
    for (DatasetVersion d : job.datasets()) owners.add(d.owner());
    if (!roster.hospitals().equals(List.copyOf(owners))) {
      throw new FlJobRefusedException("the roster " + roster.hospitals() + " of job " + job.id() + " is not the owners of its inputs " + List.copyOf(owners)
          + ": every owner trains on its own data, and no one else contributes");
    }
    roster.indexOf(self);
    if (started.contains(job.id()) || prepared.containsKey(job.id())) {
      throw new FlJobRefusedException(self + " already took part in job " + job.id() + "; a job runs once, submit a new one");
    }
    checks.checkSubmitted(job, Engine.FL);
    checks.boundPolicies(job, request.policies());
    FlJobSpec spec = FlJobRequest.spec(owner.signingKey().suite(), job.id(), training);

    List<DatasetVersion> own = job.datasets().stream().filter(d -> d.owner().equals(self)).toList();
    List<LabelledData> parts = new ArrayList<>();
    double allowance = Double.POSITIVE_INFINITY;
    for (DatasetVersion d : own) {
      Policy policy = decisions.authoriseOwnUse(job.id(), d, Engine.FL);
      Policy.Training rules = policy.training().orElseThrow(() -> new FlJobRefusedException(policy + " has no training section: "
          + self + " trains no model on " + d));
      if (policy.privacy().isPresent()) {
        if (!training.differentiallyPrivate()) {
          throw new FlJobRefusedException(policy + " sets a privacy budget and job " + job.id() + " adds no noise: " + self + " trains only differentially "
              + "privately under it");
        }
        allowance = Math.min(allowance, policy.privacy().get().epsilonPerQuery().doubleValue());
      }
      FlRows[] rows = new FlRows[1];
      shards.read(d, checks.manifestOf(d, self), subjects -> {
        rows[0] = new FlRows(training.features(), training.label(), policy.consent(), subjects, d.toString());
        return rows[0]::add;
      });
      if (rows[0].size() < rules.minRows()) {
        throw new FlJobRefusedException(d + " has " + rows[0].size() + " complete rows, fewer than the " + rules.minRows() + " training.minRows of " + policy
            + "; " + self + " trains no model on it");
      }
      parts.add(rows[0].data());
    }
    if (parts.isEmpty()) throw new FlJobRefusedException(self + " owns none of job " + job.id() + "'s inputs");
    LabelledData data = parts.size() == 1 ? parts.getFirst() : LabelledData.pooled(parts);
    PrivacyBudget budget = Double.isInfinite(allowance) ? PrivacyBudget.unlimited() : new PrivacyBudget(allowance, spec.delta());
    if (prepared.putIfAbsent(job.id(), new Prepared(job, spec, roster, data, budget, own, clock.instant())) != null) {
      throw new FlJobRefusedException(self + " already took part in job " + job.id());
    }
    return Json.obj("hospital", self.value(), "features", (long) data.featureCount());
  }

  /**
   * Step 2: connects to the aggregator and trains until the job ends or this owner's budget stops it; answers how its
   * part ended (rounds contributed, epsilon spent, the final model's hash, or the budget's reason).
   */
  public Json.JObject run(FlJobRequest.Run request) {
    Prepared p = prepared.remove(request.job());
    if (p == null) throw new FlJobRefusedException(owner.org() + " has no prepared part in job " + request.job() + " (it ran already, or was never prepared)");
    started.add(request.job());
    PeerLink link = TlsPeerLinks.connect(tls, new InetSocketAddress(aggregatorHost, request.aggregatorPort()), p.roster().aggregator(), p.job().id(), peerTimeout);
    HospitalProgram program = new HospitalProgram(p.spec(), p.roster(), link, p.data(), p.budget());
    HospitalOutcome outcome;
    try {
      outcome = program.run();
    } finally {
      program.close();
    }
    return switch (outcome) {
      case HospitalOutcome.Completed c -> Json.obj("hospital", owner.org().value(), "outcome", "completed", "roundsContributed", (long) c.roundsContributed(),
          "epsilonSpent", String.valueOf(c.epsilonSpent()), "finalModelHash", c.finalModelHash().hex());
      case HospitalOutcome.StoppedByBudget s -> {
        String reason = s.refusal().reason();
        for (DatasetVersion d : p.own()) {
          ledger.append(SignedEvent.sign(new AuditEvent.KeyReleaseRefused(p.job().id(), d,
              KeyReleaseRefusedException.wireName(KeyReleaseRefusedException.Reason.BUDGET_EXHAUSTED), owner.org() + " stops contributing to "
                  + p.job().id() + ": " + reason), owner.org(), owner.signingKey(), clock.instant()));
        }
        yield Json.obj("hospital", owner.org().value(), "outcome", "stopped-by-budget", "roundsContributed", (long) s.roundsContributed(), "reason", reason);
      }
    };
  }

  private void giveUpStale() {
    Instant cutoff = clock.instant().minus(PREPARED_EXPIRY);
    prepared.values().removeIf(p -> p.at().isBefore(cutoff));
  }

  @Override
  public void close() {
    prepared.clear();
  }
}
