package io.covenant.coordinator.job;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.JobRecord;
import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.coordinator.catalogue.UsageDebit;
import io.covenant.coordinator.dispatch.AuthorizedJob;
import io.covenant.coordinator.dispatch.ComputeEngine;
import io.covenant.coordinator.dispatch.EngineRun;
import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.Ledger;
import io.covenant.policy.Policy;
import io.covenant.policy.PolicyDecision;
import io.covenant.policy.PolicyEvaluator;
import io.covenant.policy.UsageRequest;
import io.covenant.storage.blockstore.Blockstore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job state machine: record the consumer's signed submission, ask each dataset's policy, wait for owners'
 * approvals where a policy requires them, authorise (debiting usage and privacy budget atomically), dispatch to the
 * engine, record the result. The coordinator is trusted for liveness only: it sees ids, hashes and sealed bytes,
 * never a data key or a plaintext value, and it cannot release keys (owners do, after checking the ledger themselves).
 */
public final class JobCoordinator {
  private final CoordinatorStore store;
  private final Ledger ledger;
  private final Blockstore results;
  private final PolicyEvaluator evaluator;
  private final Map<Engine, ComputeEngine> engines = new EnumMap<>(Engine.class);
  private final OrgCredentials operator;
  private final Clock clock;
  /** Submissions are checked for a used job id and recorded under this lock. */
  private final Object submissions = new Object();

  /**
   * The consortium's crypto suite, as the operator's key (made under it) says: the hash every content identifier this
   * coordinator records or compares is made with (policies' hashes, the computation's hash).
   */
  private io.covenant.core.crypto.CryptoSuite suite() {
    return operator.signingKey().suite();
  }

  public JobCoordinator(
      CoordinatorStore store, Ledger ledger, Blockstore results, PolicyEvaluator evaluator, List<ComputeEngine> engines,
      OrgCredentials operator, Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.results = results;
    this.evaluator = evaluator;
    for (ComputeEngine e : engines) this.engines.put(e.engine(), e);
    this.operator = operator;
    this.clock = clock;
  }

  /**
   * Takes a job and runs it as far as it can go: to its result, to a denial, or to waiting for owners' approvals.
   * {@code submission} is the JOB_SUBMITTED event the consumer signed; it must describe exactly {@code request}, or
   * nothing is recorded.
   */
  public JobOutcome submit(JobRequest request, SignedEvent submission) {
    checkSubmission(request, submission);
    // Check, append and insert as one step: two copies of the same signed body sent at once (a replay racing the
    // original) must not both pass the "not yet submitted" check and put JOB_SUBMITTED on the ledger twice.
    synchronized (submissions) {
      if (store.job(request.id()).isPresent()) {
        throw new SubmissionRejectedException("job " + request.id() + " was already submitted; a job id is used once, so sign a new submission");
      }
      ledger.append(submission);
      store.insertJob(request, clock.instant());
    }
    return decideOrFail(request, JobState.SUBMITTED);
  }

  /** A job whose authorisation cannot be decided (say, an unreadable policy) ends as JOB_FAILED, never half-way. */
  private JobOutcome decideOrFail(JobRequest request, JobState from) {
    try {
      return decide(request, from);
    } catch (CovenantException e) {
      JobState now = store.job(request.id()).map(JobRecord::state).orElse(from);
      if (now.terminal()) throw e;
      return fail(request.id(), now, "authorise", e.getMessage());
    }
  }

  /**
   * An owner's signed APPROVAL_GIVEN for one of its datasets in a job that awaits approval. A rejection denies the
   * job; the last approval authorises and runs it.
   */
  public JobOutcome approve(SignedEvent approval) {
    if (!(approval.event() instanceof AuditEvent.ApprovalGiven a)) {
      throw new SubmissionRejectedException("an approval must be an APPROVAL_GIVEN event signed by the dataset's owner");
    }
    JobRecord job = store.job(a.jobId()).orElseThrow(() -> new CovenantException("job " + a.jobId() + " is not known to this coordinator"));
    if (job.state() != JobState.AWAITING_APPROVAL) {
      throw new CovenantException("job " + a.jobId() + " is " + job.state() + ", not awaiting approval; nothing to approve");
    }
    if (!approval.actor().equals(a.dataset().owner())) {
      throw new SubmissionRejectedException("only " + a.dataset().owner() + " may approve the use of " + a.dataset() + ", not " + approval.actor());
    }
    if (job.request().datasets().stream().noneMatch(v -> v.dataset().equals(a.dataset()))) {
      throw new CovenantException("job " + a.jobId() + " does not use " + a.dataset());
    }
    if (store.approvals(a.jobId()).containsKey(a.dataset())) {
      throw new CovenantException(a.dataset().owner() + " already decided on job " + a.jobId() + "; an owner decides once per job");
    }
    var owner = ledger.organisation(approval.actor()).orElseThrow(() -> new SubmissionRejectedException(approval.actor() + " is not registered"));
    if (!approval.verifiedBy(owner.signingKey())) {
      throw new SubmissionRejectedException("the approval's signature is not " + approval.actor() + "'s");
    }
    ledger.append(approval);
    store.recordApproval(a.jobId(), a.dataset(), a.approved(), a.note(), clock.instant());
    if (!a.approved()) {
      List<String> reasons = List.of(a.dataset() + ": approval: " + a.dataset().owner() + " rejected the job"
          + (a.note().isBlank() ? "" : " (" + a.note() + ")"));
      record(new AuditEvent.JobDenied(a.jobId(), reasons));
      store.transition(a.jobId(), JobState.AWAITING_APPROVAL, JobState.DENIED, reasons, clock.instant());
      return new JobOutcome(a.jobId(), JobState.DENIED, reasons, Optional.empty());
    }
    return decideOrFail(job.request(), JobState.AWAITING_APPROVAL);
  }

  /** What the policies say about a request now, dataset by dataset, without recording anything. */
  public Map<DatasetVersion, PolicyDecision> explain(JobRequest request) {
    Map<DatasetVersion, PolicyDecision> out = new LinkedHashMap<>();
    for (Assessment a : assess(request).values()) a.decision().ifPresent(d -> out.put(a.version(), d));
    return out;
  }

  private record Assessment(DatasetVersion version, Optional<DatasetRecord> dataset, Optional<Policy> policy, Optional<PolicyDecision> decision,
      Optional<String> missing) {}

  private Map<DatasetVersion, Assessment> assess(JobRequest request) {
    Instant now = clock.instant();
    java.util.Set<String> jobTables = new java.util.TreeSet<>();
    for (DatasetVersion v : request.datasets()) jobTables.add(v.dataset().name());
    Map<DatasetVersion, Assessment> out = new LinkedHashMap<>();
    for (DatasetVersion v : request.datasets()) {
      Optional<DatasetRecord> dataset = store.dataset(v);
      if (dataset.isEmpty()) {
        out.put(v, new Assessment(v, dataset, Optional.empty(), Optional.empty(),
            Optional.of(v + ": dataset version is not published; list published datasets with './covenant dataset list'")));
        continue;
      }
      Optional<PolicyRecord> record = store.currentPolicy(v.dataset());
      if (record.isEmpty()) {
        out.put(v, new Assessment(v, dataset, Optional.empty(), Optional.empty(),
            Optional.of(v + ": policy: no policy is in force (none was published, or the last one was revoked), so nothing may be computed on it")));
        continue;
      }
      Policy policy = Policy.parse(record.get().json());
      PolicyDecision decision = evaluator.evaluate(policy, new UsageRequest(
          request.consumer(), request.purpose(), request.engine(), v, v.dataset().name(), dataset.get().schema(),
          request.computation(), now, jobTables), store.usage(policy.hash(suite()), request.consumer()));
      out.put(v, new Assessment(v, dataset, Optional.of(policy), Optional.of(decision), Optional.empty()));
    }
    return out;
  }

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  private JobOutcome decide(JobRequest request, JobState from) {
    List<DatasetRecord> inputs = new ArrayList<>();
    List<Policy> policies = new ArrayList<>();
    // Decisions read usage and debit it under the store's authorisation lock (across processes on PostgreSQL), so two
    // jobs cannot spend the same use or epsilon.
    try (var held = store.lockForAuthorisation()) {
      Map<DatasetVersion, Assessment> assessed = assess(request);
      Map<DatasetId, Boolean> approvals = store.approvals(request.id());
      List<String> denials = new ArrayList<>();
      List<String> awaiting = new ArrayList<>();
      List<AuditEvent.PolicyBinding> bindings = new ArrayList<>();
      List<UsageDebit> debits = new ArrayList<>();
      for (Assessment a : assessed.values()) {
        if (a.missing().isPresent()) {
          denials.add(a.missing().get());
          continue;
        }
        PolicyDecision decision = a.decision().orElseThrow();
        Policy policy = a.policy().orElseThrow();
        switch (decision.outcome()) {
          case DENY -> decision.violations().forEach(f -> denials.add(a.version() + ": " + f.rule() + ": " + f.explanation()));
          case NEEDS_APPROVAL -> {
            if (!Boolean.TRUE.equals(approvals.get(a.version().dataset()))) {
              awaiting.add(a.version() + ": approval: policy " + policy.id() + " requires " + a.version().owner()
                  + "'s approval; the owner runs './covenant job approve " + request.id() + " --as " + a.version().owner() + "'");
            }
          }
          case PERMIT -> { }
        }
        if (decision.outcome() != PolicyDecision.Outcome.DENY) {
          BigDecimal epsilon = policy.privacy().map(p -> p.epsilonPerQuery()).orElse(BigDecimal.ZERO);
          // The debit goes on the ledger with the binding: owners and auditors count spending from there, not from this store.
          BigDecimal delta = policy.privacy().flatMap(p -> p.deltaPerQuery()).orElse(BigDecimal.ZERO);
          bindings.add(new AuditEvent.PolicyBinding(a.version(), policy.hash(suite()), AuditEvent.Debit.oneUse(epsilon, delta)));
          debits.add(new UsageDebit(policy.hash(suite()), request.consumer(), epsilon));
          inputs.add(a.dataset().orElseThrow());
          policies.add(policy);
        }
      }
      if (!denials.isEmpty()) {
        record(new AuditEvent.JobDenied(request.id(), denials));
        store.transition(request.id(), from, JobState.DENIED, denials, clock.instant());
        return new JobOutcome(request.id(), JobState.DENIED, denials, Optional.empty());
      }
      if (!awaiting.isEmpty()) {
        if (from == JobState.SUBMITTED) store.transition(request.id(), from, JobState.AWAITING_APPROVAL, awaiting, clock.instant());
        return new JobOutcome(request.id(), JobState.AWAITING_APPROVAL, awaiting, Optional.empty());
      }
      store.authorize(request.id(), from, debits, clock.instant());
      record(new AuditEvent.JobAuthorized(request.id(), bindings));
    }
    return dispatch(request, inputs, policies);
  }

  private JobOutcome dispatch(JobRequest request, List<DatasetRecord> inputs, List<Policy> policies) {
    ComputeEngine engine = engines.get(request.engine());
    if (engine == null) {
      return fail(request.id(), JobState.AUTHORIZED, "dispatch",
          "no " + request.engine().wireName() + " engine is configured on this coordinator; submit with engine tee");
    }
    var consumer = ledger.organisation(request.consumer())
        .orElseThrow(() -> new SubmissionRejectedException("consumer " + request.consumer() + " is not registered"));
    Optional<Measurement> measurement;
    boolean simulated;
    try {
      // A worker in another process is asked what it runs; one that cannot be reached fails the job before it starts.
      measurement = engine.measurement();
      simulated = engine.simulated();
    } catch (CovenantException e) {
      return fail(request.id(), JobState.AUTHORIZED, "dispatch", e.getMessage());
    }
    store.transition(request.id(), JobState.AUTHORIZED, JobState.RUNNING, List.of(), clock.instant());
    record(new AuditEvent.ComputationStarted(request.id(), engine.engine(), measurement, simulated));
    EngineRun run;
    try {
      run = engine.run(new AuthorizedJob(request, inputs, policies, consumer.encryptionKey()));
    } catch (CovenantException e) {
      return fail(request.id(), JobState.RUNNING, "compute", e.getMessage());
    }
    // Addressed by the consortium's hash (its operator's key carries the suite): SM3 under the national suite.
    Cid stored = results.put(operator.signingKey().suite(), Cid.RAW, run.sealedResult());
    record(new AuditEvent.ResultCommitted(
        request.id(), run.resultHash(), engine.engine(), run.measurement(), run.simulated(), run.inputManifests(),
        run.outputRows(), run.suppressedGroups(), run.modelHash()));
    store.commitResult(request.id(), stored, run.resultHash(), clock.instant());
    return new JobOutcome(request.id(), JobState.COMMITTED, List.of(), Optional.of(run.resultHash()));
  }

  private JobOutcome fail(JobId job, JobState from, String stage, String reason) {
    record(new AuditEvent.JobFailed(job, stage, reason));
    store.transition(job, from, JobState.FAILED, List.of(stage + ": " + reason), clock.instant());
    return new JobOutcome(job, JobState.FAILED, List.of(stage + ": " + reason), Optional.empty());
  }

  private void checkSubmission(JobRequest request, SignedEvent submission) {
    if (!(submission.event() instanceof AuditEvent.JobSubmitted s)) {
      throw new SubmissionRejectedException("a job must come with its JOB_SUBMITTED event signed by the consumer");
    }
    boolean matches = s.jobId().equals(request.id())
        && s.consumer().equals(request.consumer())
        && submission.actor().equals(request.consumer())
        && s.datasets().equals(request.datasets())
        && s.engine() == request.engine()
        && s.purpose().equals(request.purpose())
        && s.computationHash().equals(request.computation().hash(suite()));
    if (!matches) {
      throw new SubmissionRejectedException("job " + request.id() + ": the signed submission does not describe this request (ids, datasets, engine, purpose or computation differ)");
    }
    var consumer = ledger.organisation(request.consumer()).orElseThrow(() -> new SubmissionRejectedException(
        "consumer " + request.consumer() + " is not registered on the ledger; register the organisation first"));
    if (!submission.verifiedBy(consumer.signingKey())) {
      throw new SubmissionRejectedException("job " + request.id() + ": the submission's signature is not " + request.consumer() + "'s");
    }
  }

  private void record(AuditEvent e) {
    ledger.append(SignedEvent.sign(e, operator.org(), operator.signingKey(), clock.instant()));
  }

  public Optional<JobRecord> job(JobId id) {
    return store.job(id);
  }

  /** The sealed result bytes of a committed job, as stored (only the consumer can open them). */
  public byte[] sealedResult(JobId id) {
    JobRecord r = store.job(id).orElseThrow(() -> new CovenantException("job " + id + " is not known to this coordinator"));
    Cid cid = r.sealedResult().orElseThrow(() -> new CovenantException("job " + id + " has no result (state " + r.state() + ")"));
    return results.get(cid);
  }
}
