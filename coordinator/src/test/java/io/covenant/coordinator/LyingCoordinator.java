package io.covenant.coordinator;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.dispatch.AuthorizedJob;
import io.covenant.coordinator.dispatch.EngineRun;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import io.covenant.policy.Policy;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;

/**
 * A coordinator that lies. It holds what a real operator holds (the operator's signing key in the deployment, the
 * TEE worker, the coordinator's database) and writes its own decisions straight onto the ledger, signed as the
 * operator, skipping every check of {@code JobCoordinator}: it may authorise any job under any policy hash with any
 * debit, then dispatch it to the worker, whose key requests go to the owners' real key services. What stops it must be
 * the owners' own checks.
 *
 * <p>One hospital (the demo's first) with a small synthetic claims table and the demo's policy (changed as a test
 * asks), and the demo's insurer as the consumer.
 */
final class LyingCoordinator implements AutoCloseable {
  static final OrgId HOSPITAL = HospitalInsurerDemo.HOSPITALS.get(0).org();
  static final OrgId INSURER = HospitalInsurerDemo.INSURER;

  final LocalDeployment deployment;
  final DatasetVersion claims;
  /** The policy the owner published first (with the test's changes). */
  final Policy policy;
  private final OrgCredentials operator;
  private final OrgCredentials insurer;

  /** What happened when the lying coordinator dispatched a job: the owner's refusal, if it refused. */
  record Dispatch(JobId job, Optional<KeyReleaseRefusedException> refusal) {}

  LyingCoordinator(Path dir, Object... policyChanges) {
    deployment = LocalDeployment.open(dir);
    var h = HospitalInsurerDemo.HOSPITALS.get(0);
    deployment.createOrganisation(HOSPITAL, h.name(), Set.of(OrgRole.OWNER));
    deployment.createOrganisation(INSURER, "Insurer X", Set.of(OrgRole.CONSUMER));
    try (RootAllocator allocator = new RootAllocator(); var batches = SyntheticClaims.generate(allocator, h.seed(), 120, h.costLevel(), 1024)) {
      claims = deployment.owner(HOSPITAL).publish("claims", SyntheticClaims.SCHEMA, batches).version();
    }
    policy = publishPolicy(policyChanges);
    operator = deployment.keystore(LocalDeployment.OPERATOR).credentials();
    insurer = deployment.keystore(INSURER).credentials();
  }

  /** The owner publishes the demo policy with {@code changes} (through its own DataOwner: records, ledger, catalogue). */
  Policy publishPolicy(Object... changes) {
    var record = deployment.owner(HOSPITAL).publishPolicy(changes.length == 0
        ? HospitalInsurerDemo.policyFor(HOSPITAL) : PolicyVariants.demoPolicyWith(HOSPITAL, changes));
    return Policy.parse(record.json());
  }

  /** The insurer's genuine, signed submission of the demo's statistics query, put on the ledger by the coordinator. */
  JobRequest submit() {
    JobRequest request = new JobRequest(JobId.random(), INSURER, List.of(claims), Engine.TEE, new Purpose("risk-model"),
        new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
    deployment.ledger().append(SignedEvent.sign(new AuditEvent.JobSubmitted(request.id(), INSURER, request.datasets(), Engine.TEE,
        request.purpose(), request.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL)), INSURER, insurer.signingKey(), Instant.now()));
    return request;
  }

  /** JOB_AUTHORIZED as the operator, binding the job's dataset to {@code policyHash} with {@code debit}: no check at all. */
  void authorize(JobRequest job, Digest policyHash, AuditEvent.Debit debit) {
    asOperator(new AuditEvent.JobAuthorized(job.id(), List.of(new AuditEvent.PolicyBinding(claims, policyHash, debit))));
  }

  /** What an honest coordinator would debit under {@code policy}: one use and its epsilon per query. */
  static AuditEvent.Debit honestDebit(Policy policy) {
    return AuditEvent.Debit.oneUse(policy.privacy().map(Policy.PrivacyBudget::epsilonPerQuery).orElse(BigDecimal.ZERO));
  }

  /** Submits and authorises a job under {@code policy} with an honest-looking debit. */
  JobRequest submitAndAuthorize(Policy policy) {
    JobRequest job = submit();
    authorize(job, policy.hash(io.covenant.core.crypto.CryptoSuite.INTL), honestDebit(policy));
    return job;
  }

  /**
   * Runs the job on the deployment's TEE engine as the coordinator dispatches it (COMPUTATION_STARTED, the worker asks
   * the owner's key service, RESULT_COMMITTED or JOB_FAILED), handing the worker {@code policy} as the job's policy.
   */
  Dispatch dispatch(JobRequest job, Policy policy) {
    DatasetRecord input = deployment.store().dataset(claims).orElseThrow();
    var consumerKey = deployment.ledger().organisation(INSURER).orElseThrow().encryptionKey();
    asOperator(new AuditEvent.ComputationStarted(job.id(), Engine.TEE, Optional.of(LocalDeployment.workerMeasurement()), LocalDeployment.workerIsSimulated()));
    EngineRun run;
    try {
      run = deployment.teeEngine().run(new AuthorizedJob(job, List.of(input), List.of(policy), consumerKey));
    } catch (CovenantException e) {
      asOperator(new AuditEvent.JobFailed(job.id(), "compute", e.getMessage()));
      if (e instanceof KeyReleaseRefusedException refused) return new Dispatch(job.id(), Optional.of(refused));
      throw e;
    }
    Cid stored = deployment.blockstore().put(Cid.RAW, run.sealedResult());
    asOperator(new AuditEvent.ResultCommitted(job.id(), run.resultHash(), Engine.TEE, run.measurement(), run.simulated(), run.inputManifests(),
        run.outputRows(), run.suppressedGroups()));
    return new Dispatch(job.id(), Optional.empty());
  }

  /** The job's events, in ledger order. */
  List<AuditEvent> events(JobId job) {
    return deployment.ledger().entriesForJob(job).stream().map(e -> e.event().event()).toList();
  }

  /** Whether any owner released a key for the job. */
  boolean keyReleased(JobId job) {
    return events(job).stream().anyMatch(e -> e instanceof AuditEvent.KeyReleased);
  }

  /** The owner's signed refusals of the job's keys. */
  List<AuditEvent.KeyReleaseRefused> refusals(JobId job) {
    return deployment.ledger().entriesForJob(job).stream()
        .filter(e -> e.event().actor().equals(HOSPITAL))
        .map(LedgerEntry::event).map(SignedEvent::event)
        .filter(AuditEvent.KeyReleaseRefused.class::isInstance).map(AuditEvent.KeyReleaseRefused.class::cast).toList();
  }

  /** An auditor's offline verification of the ledger as it stands. */
  VerificationReport verify() {
    deployment.ledger().checkpoint();
    return LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(deployment.ledgerDir()));
  }

  private void asOperator(AuditEvent event) {
    deployment.ledger().append(SignedEvent.sign(event, operator.org(), operator.signingKey(), Instant.now()));
  }

  @Override
  public void close() {
    deployment.close();
  }
}
