package io.covenant.coordinator.job;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.JobRecord;
import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.coordinator.dispatch.AuthorizedJob;
import io.covenant.coordinator.dispatch.ComputeEngine;
import io.covenant.coordinator.dispatch.EngineRun;
import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.Ledger;
import io.covenant.policy.Policy;
import io.covenant.policy.PolicyDecision;
import io.covenant.policy.PolicyEvaluator;
import io.covenant.policy.UsageRequest;
import io.covenant.storage.blockstore.Blockstore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job state machine: record the consumer's signed submission, ask each dataset's policy, record the decision,
 * dispatch to the engine, record the result. The coordinator is trusted for liveness only: it sees ids, hashes and
 * sealed bytes, never a data key or a plaintext value, and it cannot release keys (owners do, after checking the
 * ledger themselves).
 */
public final class JobCoordinator {
  private final CoordinatorStore store;
  private final Ledger ledger;
  private final Blockstore results;
  private final PolicyEvaluator evaluator;
  private final Map<Engine, ComputeEngine> engines = new EnumMap<>(Engine.class);
  private final OrgCredentials operator;
  private final Clock clock;

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
   * Takes a job and runs it to its end. {@code submission} is the JOB_SUBMITTED event the consumer signed; it must
   * describe exactly {@code request}, or nothing is recorded.
   */
  public JobOutcome submit(JobRequest request, SignedEvent submission) {
    checkSubmission(request, submission);
    if (store.job(request.id()).isPresent()) {
      throw new SubmissionRejectedException("job " + request.id() + " was already submitted; a job id is used once");
    }
    Instant now = clock.instant();
    ledger.append(submission);
    store.insertJob(request, now);

    List<String> denials = new ArrayList<>();
    List<AuditEvent.PolicyBinding> bindings = new ArrayList<>();
    List<DatasetRecord> inputs = new ArrayList<>();
    int minCohort = 1;
    for (DatasetVersion v : request.datasets()) {
      Optional<DatasetRecord> dataset = store.dataset(v);
      if (dataset.isEmpty()) {
        denials.add(v + ": dataset version is not published; list published datasets with './covenant dataset list'");
        continue;
      }
      Optional<PolicyRecord> policyRecord = store.currentPolicy(v.dataset());
      if (policyRecord.isEmpty()) {
        denials.add(v + ": its owner has published no policy, so nothing may be computed on it");
        continue;
      }
      Policy policy = Policy.parse(policyRecord.get().json());
      PolicyDecision decision = evaluator.evaluate(policy, new UsageRequest(
          request.consumer(), request.purpose(), request.engine(), v, v.dataset().name(), dataset.get().schema(),
          request.computation(), now));
      switch (decision.outcome()) {
        case PERMIT -> {
          bindings.add(new AuditEvent.PolicyBinding(v, policy.hash()));
          inputs.add(dataset.get());
          minCohort = Math.max(minCohort, policy.minCohort());
        }
        case DENY -> decision.violations().forEach(f -> denials.add(v + ": " + f.rule() + ": " + f.explanation()));
        case NEEDS_APPROVAL -> denials.add(v + ": approval: policy " + policy.id()
            + " requires the owner's manual approval, which this coordinator does not collect yet");
      }
    }
    if (!denials.isEmpty()) {
      record(new AuditEvent.JobDenied(request.id(), denials));
      store.transition(request.id(), JobState.SUBMITTED, JobState.DENIED, denials, clock.instant());
      return new JobOutcome(request.id(), JobState.DENIED, denials, Optional.empty());
    }
    record(new AuditEvent.JobAuthorized(request.id(), bindings));
    store.transition(request.id(), JobState.SUBMITTED, JobState.AUTHORIZED, List.of(), clock.instant());
    return dispatch(request, inputs, minCohort);
  }

  private JobOutcome dispatch(JobRequest request, List<DatasetRecord> inputs, int minCohort) {
    ComputeEngine engine = engines.get(request.engine());
    if (engine == null) {
      return fail(request.id(), JobState.AUTHORIZED, "dispatch",
          "no " + request.engine().wireName() + " engine is configured on this coordinator; submit with engine tee");
    }
    var consumer = ledger.organisation(request.consumer())
        .orElseThrow(() -> new SubmissionRejectedException("consumer " + request.consumer() + " is not registered"));
    store.transition(request.id(), JobState.AUTHORIZED, JobState.RUNNING, List.of(), clock.instant());
    record(new AuditEvent.ComputationStarted(request.id(), engine.engine(), engine.measurement()));
    EngineRun run;
    try {
      run = engine.run(new AuthorizedJob(request, inputs, minCohort, consumer.encryptionKey()));
    } catch (CovenantException e) {
      return fail(request.id(), JobState.RUNNING, "compute", e.getMessage());
    }
    Cid stored = results.put(Cid.RAW, run.sealedResult());
    record(new AuditEvent.ResultCommitted(
        request.id(), run.resultHash(), engine.engine(), run.measurement(), run.simulated(), run.inputManifests(),
        run.outputRows(), run.suppressedGroups()));
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
        && s.computationHash().equals(request.computation().hash());
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
