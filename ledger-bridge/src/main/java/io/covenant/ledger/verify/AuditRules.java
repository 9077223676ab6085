package io.covenant.ledger.verify;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.AuditEvent.ApprovalGiven;
import io.covenant.core.event.AuditEvent.AttestationVerified;
import io.covenant.core.event.AuditEvent.ComputationStarted;
import io.covenant.core.event.AuditEvent.DatasetPublished;
import io.covenant.core.event.AuditEvent.JobAuthorized;
import io.covenant.core.event.AuditEvent.JobDenied;
import io.covenant.core.event.AuditEvent.JobFailed;
import io.covenant.core.event.AuditEvent.JobSubmitted;
import io.covenant.core.event.AuditEvent.KeyReleaseRefused;
import io.covenant.core.event.AuditEvent.InputShared;
import io.covenant.core.event.AuditEvent.KeyReleased;
import io.covenant.core.event.AuditEvent.OrgRegistered;
import io.covenant.core.event.AuditEvent.OrgRevoked;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.core.event.AuditEvent.PolicyBinding;
import io.covenant.core.event.AuditEvent.PolicyPublished;
import io.covenant.core.event.AuditEvent.PolicyRevoked;
import io.covenant.core.event.AuditEvent.ResultCommitted;
import io.covenant.core.event.AuditEvent.UsageSettled;
import io.covenant.core.event.AuditEvent.ConsentRecorded;
import io.covenant.core.event.AuditEvent.LicencePublished;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Engine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What may be recorded when, replayed in log order. {@link #apply} returns why an event is unlawful at its place
 * in the log (a sentence fragment the verifier prefixes with the entry), or null and records its effect.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>ORG_REVOKED is appended by the operator, names a registered organisation and its registered certificate, and
 *       revokes it once; from then on nothing that organisation signs is accepted (checked with the signature).
 *   <li>DATASET_PUBLISHED by the dataset's owner, once per version (a version is immutable).
 *   <li>POLICY_PUBLISHED and POLICY_REVOKED by the dataset's owner; a revocation names a published policy.
 *   <li>JOB_SUBMITTED is the job's first event and happens once, by the consumer it names, for at least one dataset,
 *       each with a DATASET_PUBLISHED earlier. Every other job event needs the job submitted earlier.
 *   <li>Then exactly one of JOB_AUTHORIZED / JOB_DENIED. JOB_AUTHORIZED binds every submitted dataset, and only those,
 *       to the hash of a policy published earlier for that dataset and not revoked since.
 *   <li>No policy is overspent. From version 2, POLICY_PUBLISHED carries the policy's limits and JOB_AUTHORIZED a
 *       debit per binding: 1 use, and at least the policy's epsilonPerQuery (0 without a budget). Counting every
 *       authorisation under a policy in log order, uses never exceed its maxUses (all consumers together) and each
 *       consumer's epsilon never exceeds its epsilonTotal (the budget is per consumer, as the coordinator accounts it).
 *       A legacy JOB_AUTHORIZED (version 1, no debits) counts as 1 use and epsilonPerQuery; a legacy policy (no limits
 *       on the ledger) cannot be audited for spending, so only the shape of its debits is checked.
 *   <li>KEY_RELEASE_REFUSED by the owner of the dataset it names, a dataset of the job, before the job ended.
 *   <li>APPROVAL_GIVEN is by the owner of one of the job's datasets.
 *   <li>ATTESTATION_VERIFIED, KEY_RELEASED, COMPUTATION_STARTED, RESULT_COMMITTED only after JOB_AUTHORIZED, never
 *       after JOB_DENIED; COMPUTATION_STARTED and RESULT_COMMITTED name the engine the job was submitted for.
 *   <li>KEY_RELEASED by the owner of the dataset it names, a dataset of the job, after an ATTESTATION_VERIFIED of the
 *       same job, measurement and simulation flag by that owner. From version 2 it states its freshness: the
 *       authorisation it names is the job's JOB_AUTHORIZED entry, its nonce is that entry's nonce for its recipient key
 *       (recomputed from the entry's leaf hash, {@code AuthorisationEntry.nonce}), and it stands at most its window of
 *       entries after that authorisation. One that stands past its window is void: lawful only if its owner then
 *       records KEY_RELEASE_REFUSED (authorisation-expired) for the same job and dataset, saying it withheld the key
 *       (it saw where its record landed only after appending it), and never a basis for the job's result. A legacy
 *       (version 1) KEY_RELEASED states none and is not checked for it.
 *   <li>INPUT_SHARED only for an authorised mpc job, by the owner of the dataset it names, a dataset of the job, once
 *       per dataset; an mpc RESULT_COMMITTED needs one for every dataset of the job.
 *   <li>FL_ROUND_COMPLETED by the operator, for an authorised and started fl job, rounds numbered 1, 2, ... in order,
 *       naming at least one participant and only the owners of the job's datasets, each once across participants,
 *       dropped and declined; an fl RESULT_COMMITTED names a model hash, the last round's global model hash if any round
 *       was recorded.
 *   <li>Simulation is never hidden: a COMPUTATION_STARTED that says the enclave is not simulated (version 2) is neither
 *       preceded nor followed by simulated ATTESTATION_VERIFIED or KEY_RELEASED of the job, and a RESULT_COMMITTED
 *       marked not simulated follows neither simulated evidence nor a COMPUTATION_STARTED that said simulated. A
 *       legacy (version 1) COMPUTATION_STARTED carries no label and is not checked for it.
 *   <li>RESULT_COMMITTED at most once; its input manifests are the manifests of the job's datasets; for engine tee
 *       its measurement is the one every dataset's key was released to, and it is marked simulated if any key went to
 *       a simulated enclave.
 *   <li>After RESULT_COMMITTED or JOB_FAILED only USAGE_SETTLED; USAGE_SETTLED needs a committed result, names a
 *       dataset of the job, and never negative units.
 *   <li>CONSENT_RECORDED by the owner of the dataset it names (a consent's digest, nothing else).
 *   <li>LICENCE_PUBLISHED by the dataset's owner, binding a policy published earlier for that dataset, once per
 *       licence hash, with prices that are not negative and a maker's share of 0 to 10,000 basis points.
 *   <li>A licensed USAGE_SETTLED (version 2) settles once per job and dataset, under a licence published earlier for
 *       that dataset and for the job's consumer, whose policy is the one JOB_AUTHORIZED bound the dataset to; its
 *       amount is the licence's price for its vehicle-months (a whole number of months per contributing owner), the
 *       maker's part is the licence's share of it (all of it when no owner contributed), the owners' part is the rest
 *       (so the two sum exactly to the amount), and the records it pays for are its units, at least one per owner.
 * </ul>
 */
final class AuditRules {

  private record Registration(long index, OrgRegistered event) {}

  /** An organisation's certificate revoked at entry {@code index}. */
  record Revocation(long index, OrgRevoked event) {}

  private record Policy(long publishedAt, Optional<Long> revokedAt, Optional<AuditEvent.PolicyLimits> limits) {}

  /** What has been spent under one policy so far: uses by everyone, epsilon by consumer. */
  private static final class Spending {
    long uses;
    final Map<OrgId, BigDecimal> epsilon = new HashMap<>();
  }

  private record Attestation(OrgId owner, Measurement measurement, boolean simulated) {}

  private static final class Job {
    final JobSubmitted submitted;
    final long submittedAt;
    String decision; // JOB_AUTHORIZED or JOB_DENIED
    long decidedAt;
    /** The leaf hash of the job's JOB_AUTHORIZED entry: the anchor of its key releases' attestation nonces. */
    Digest authorisationLeaf;
    /** KEY_RELEASED entries past their window, by dataset, that their owner has not yet declared withheld. */
    final Map<DatasetVersion, Long> voidReleases = new HashMap<>();
    /** Void KEY_RELEASED entries their owner withdrew, by dataset: lawful, but no result rests on them. */
    final Map<DatasetVersion, Long> withdrawnReleases = new HashMap<>();
    final Set<Attestation> attestations = new HashSet<>();
    final Map<DatasetVersion, List<KeyReleased>> keys = new HashMap<>();
    final Map<DatasetVersion, InputShared> shared = new HashMap<>();
    /** A homomorphic-encryption job's consumer record (MODEL or KEYS) and owners' records (SCORES or INPUT), by dataset. */
    AuditEvent.CiphertextRecorded consumerCiphertext;
    final Map<DatasetVersion, AuditEvent.CiphertextRecorded> ownerCiphertexts = new HashMap<>();
    /** The first simulated ATTESTATION_VERIFIED or KEY_RELEASED of the job, if any. */
    Long simulatedEvidenceAt;
    /** What a labelled (version 2) COMPUTATION_STARTED said, and where; empty for none or a legacy one. */
    Optional<Boolean> startedSimulated = Optional.empty();
    long startedAt;
    String ended; // RESULT_COMMITTED or JOB_FAILED
    long endedAt;
    boolean resultCommitted;
    /** The policy hash JOB_AUTHORIZED bound each dataset to. */
    final Map<DatasetId, Digest> boundPolicies = new HashMap<>();
    /** Where each dataset's licensed settlement was recorded. */
    final Map<DatasetId, Long> settledAt = new HashMap<>();
    /** Whether COMPUTATION_STARTED was recorded; a federated round needs it. */
    boolean started;
    /** The federated rounds recorded so far, and the global model the last one produced. */
    int flRounds;
    Digest lastGlobalModel;

    Job(JobSubmitted submitted, long at) {
      this.submitted = submitted;
      this.submittedAt = at;
    }
  }

  /** The consortium's suite: the hash the auditor recomputes attestation nonces with. */
  private final io.covenant.core.crypto.CryptoSuite suite;

  AuditRules(io.covenant.core.crypto.CryptoSuite suite) {
    this.suite = suite;
  }

  private final Map<OrgId, Registration> orgs = new HashMap<>();
  private final Map<OrgId, Revocation> revocations = new HashMap<>();
  private final Map<DatasetVersion, DatasetPublished> datasets = new HashMap<>();
  private final Map<DatasetId, Map<Digest, Policy>> policies = new HashMap<>();
  private final Map<JobId, Job> jobs = new HashMap<>();
  private final Map<Digest, Spending> spending = new HashMap<>();
  private final Map<Digest, LicencePublished> licences = new HashMap<>();

  Optional<Long> registeredAt(OrgId org) {
    return Optional.ofNullable(orgs.get(org)).map(Registration::index);
  }

  private boolean isOperator(OrgId org) {
    Registration r = orgs.get(org);
    return r != null && r.event().isOperator();
  }

  /** The revocation of {@code org}'s certificate recorded so far, if any. */
  Optional<Revocation> revocation(OrgId org) {
    return Optional.ofNullable(revocations.get(org));
  }

  /** The certificate {@code org} registered with, if it carried one. */
  Optional<OrgCertificate> certificate(OrgId org) {
    return Optional.ofNullable(orgs.get(org)).flatMap(r -> r.event().certificate());
  }

  Optional<VerifyingKey> signingKey(OrgId org) {
    return Optional.ofNullable(orgs.get(org)).map(r -> r.event().signingKey());
  }

  /**
   * Null if {@code s}, the event of the entry at {@code index} whose leaf hash is {@code leaf}, is lawful there (and its
   * effect is now recorded); otherwise why not.
   */
  String apply(SignedEvent s, long index, Digest leaf) {
    OrgId actor = s.actor();
    return switch (s.event()) {
      case OrgRegistered e -> {
        if (e.isOperator()) {
          Optional<Registration> existing = orgs.values().stream().filter(r -> r.event().isOperator()).findFirst();
          if (existing.isPresent()) {
            yield e.org() + " registers as operator, but " + existing.get().event().org() + " already is (entry " + existing.get().index()
                + "): a log has one operator, whose signature authorises jobs";
          }
        }
        orgs.put(e.org(), new Registration(index, e));
        yield null;
      }
      case OrgRevoked e -> orgRevoked(e, actor, index);
      case DatasetPublished e -> datasetPublished(e, actor);
      case PolicyPublished e -> {
        if (!actor.equals(e.dataset().owner())) yield "policy for " + e.dataset() + " published by " + actor + ", but only its owner " + e.dataset().owner() + " may publish one";
        policies.computeIfAbsent(e.dataset(), d -> new HashMap<>()).put(e.policyHash(), new Policy(index, Optional.empty(), e.limits()));
        yield null;
      }
      case PolicyRevoked e -> {
        if (!actor.equals(e.dataset().owner())) yield "policy for " + e.dataset() + " revoked by " + actor + ", but only its owner " + e.dataset().owner() + " may revoke one";
        Map<Digest, Policy> ofDataset = policies.getOrDefault(e.dataset(), Map.of());
        Policy p = ofDataset.get(e.policyHash());
        if (p == null) yield "it revokes policy " + e.policyHash().shortForm() + "… of " + e.dataset() + ", which was never published";
        policies.get(e.dataset()).put(e.policyHash(), new Policy(p.publishedAt(), Optional.of(index), p.limits()));
        yield null;
      }
      case JobSubmitted e -> jobSubmitted(e, actor, index);
      case ConsentRecorded e -> actor.equals(e.dataset().owner()) ? null
          : "consent for " + e.dataset() + " recorded by " + actor + ", but only its owner " + e.dataset().owner() + " holds its subjects' consents";
      case LicencePublished e -> licencePublished(e, actor);
      default -> jobEvent(s.event(), actor, index, leaf);
    };
  }

  private String orgRevoked(OrgRevoked e, OrgId actor, long index) {
    if (!isOperator(actor)) return "ORG_REVOKED appended by " + actor + ", but only the operator appends the consortium's revocations";
    Registration r = orgs.get(e.org());
    if (r == null) return "it revokes " + e.org() + ", which has no ORG_REGISTERED earlier in the log";
    Revocation earlier = revocations.get(e.org());
    if (earlier != null) return e.org() + "'s certificate was already revoked at entry " + earlier.index();
    Optional<OrgCertificate> cert = r.event().certificate();
    if (cert.isPresent() && !cert.get().fingerprint().equals(e.certificate())) {
      return "it revokes certificate " + e.certificate().shortForm() + "…, which is not the certificate " + e.org() + " registered with ("
          + cert.get().fingerprint().shortForm() + "…)";
    }
    revocations.put(e.org(), new Revocation(index, e));
    return null;
  }

  private String datasetPublished(DatasetPublished e, OrgId actor) {
    if (!actor.equals(e.dataset().owner())) {
      return "dataset " + e.dataset() + " published by " + actor + ", but only its owner " + e.dataset().owner() + " may publish it";
    }
    if (datasets.containsKey(e.dataset())) {
      return "dataset " + e.dataset() + " was already published: a published version is immutable, publish a new version instead";
    }
    datasets.put(e.dataset(), e);
    return null;
  }

  private String jobSubmitted(JobSubmitted e, OrgId actor, long index) {
    Job existing = jobs.get(e.jobId());
    if (existing != null) return "job " + e.jobId() + " was already submitted at entry " + existing.submittedAt + ": a job is submitted once";
    if (!actor.equals(e.consumer())) return "job " + e.jobId() + " names consumer " + e.consumer() + " but is submitted by " + actor + ": a consumer submits its own jobs";
    if (e.datasets().isEmpty()) return "job " + e.jobId() + " names no dataset";
    if (new HashSet<>(e.datasets()).size() != e.datasets().size()) return "job " + e.jobId() + " names a dataset more than once";
    for (DatasetVersion d : e.datasets()) {
      if (!datasets.containsKey(d)) return "job " + e.jobId() + " uses dataset " + d + ", which has no DATASET_PUBLISHED earlier in the log";
    }
    jobs.put(e.jobId(), new Job(e, index));
    return null;
  }

  private String jobEvent(AuditEvent event, OrgId actor, long index, Digest leaf) {
    JobId id = event.job().orElseThrow(() -> new IllegalStateException(event.type() + " carries no job"));
    Job job = jobs.get(id);
    if (job == null) return "it refers to job " + id + ", which was never submitted";
    if (job.ended != null && !(event instanceof UsageSettled)) {
      return "job " + id + " already ended with " + job.ended + " at entry " + job.endedAt + "; only USAGE_SETTLED may follow";
    }
    boolean operatorsAct = event instanceof JobAuthorized || event instanceof JobDenied || event instanceof ComputationStarted
        || event instanceof ResultCommitted || event instanceof JobFailed || event instanceof UsageSettled || event instanceof AuditEvent.FlRoundCompleted;
    if (operatorsAct && !isOperator(actor)) {
      return event.type() + " of job " + id + " is signed by " + actor + ", which is not the log's registered operator: only the operator"
          + " records decisions, runs and results";
    }
    return switch (event) {
      case JobAuthorized e -> {
        String undecided = undecided(job, id);
        if (undecided != null) yield undecided;
        String unbound = checkBindings(job, e.policies());
        if (unbound != null) yield unbound;
        String overspent = debit(job, e);
        if (overspent != null) yield overspent;
        job.decision = "JOB_AUTHORIZED";
        job.decidedAt = index;
        job.authorisationLeaf = leaf;
        for (PolicyBinding b : e.policies()) job.boundPolicies.put(b.dataset().dataset(), b.policyHash());
        yield null;
      }
      case JobDenied e -> {
        String undecided = undecided(job, id);
        if (undecided != null) yield undecided;
        job.decision = "JOB_DENIED";
        job.decidedAt = index;
        yield null;
      }
      case KeyReleaseRefused e -> {
        if (!actor.equals(e.dataset().owner())) yield "a key release for " + e.dataset() + " refused by " + actor + ", but only its owner " + e.dataset().owner() + " holds that key";
        if (!job.submitted.datasets().contains(e.dataset())) yield "it refuses the key of " + e.dataset() + ", which job " + id + " does not use";
        if (e.reason().equals(WITHHELD) && job.voidReleases.containsKey(e.dataset())) {
          job.withdrawnReleases.put(e.dataset(), job.voidReleases.remove(e.dataset()));
        }
        yield null;
      }
      case ApprovalGiven e -> {
        if (!actor.equals(e.dataset().owner())) yield "approval for " + e.dataset() + " given by " + actor + ", but only its owner " + e.dataset().owner() + " may approve";
        if (job.submitted.datasets().stream().noneMatch(d -> d.dataset().equals(e.dataset()))) yield "approval for " + e.dataset() + ", which job " + id + " does not use";
        yield null;
      }
      case AttestationVerified e -> {
        String unauthorized = unauthorized(job, id);
        if (unauthorized != null) yield unauthorized;
        String hidden = simulationHidden(job, e.simulated(), index, "ATTESTATION_VERIFIED");
        if (hidden != null) yield hidden;
        job.attestations.add(new Attestation(actor, e.measurement(), e.simulated()));
        yield null;
      }
      case InputShared e -> {
        String unauthorized = unauthorized(job, id);
        if (unauthorized != null) yield unauthorized;
        if (job.submitted.engine() != Engine.MPC) yield "INPUT_SHARED for job " + id + ", which was submitted for engine " + job.submitted.engine().wireName() + ", not mpc";
        if (!actor.equals(e.dataset().owner())) yield "the input " + e.dataset() + " was shared by " + actor + ", but only its owner " + e.dataset().owner() + " holds its key";
        if (!job.submitted.datasets().contains(e.dataset())) yield "it shares " + e.dataset() + ", which job " + id + " does not use";
        if (job.shared.putIfAbsent(e.dataset(), e) != null) yield e.dataset() + " was shared into job " + id + " twice";
        yield null;
      }
      case AuditEvent.CiphertextRecorded e -> ciphertextRecorded(job, e, actor);
      case KeyReleased e -> {
        String bad = keyReleased(job, e, actor);
        if (bad == null) bad = freshness(job, e, index, suite);
        if (bad == null) bad = simulationHidden(job, e.simulated(), index, "KEY_RELEASED");
        yield bad;
      }
      case ComputationStarted e -> {
        String unauthorized = unauthorized(job, id);
        if (unauthorized != null) yield unauthorized;
        if (e.engine() != job.submitted.engine()) yield "job " + id + " was submitted for engine " + job.submitted.engine().wireName() + " but started on " + e.engine().wireName();
        job.started = true;
        if (e.simulated().isPresent()) {
          if (!e.simulated().get() && job.simulatedEvidenceAt != null) {
            yield "it says job " + id + " runs in an enclave that is not simulated, but entry " + job.simulatedEvidenceAt + " recorded simulated evidence for it";
          }
          job.startedSimulated = e.simulated();
          job.startedAt = index;
        }
        yield null;
      }
      case ResultCommitted e -> {
        String bad = resultCommitted(job, e);
        if (bad != null) yield bad;
        job.resultCommitted = true;
        job.ended = "RESULT_COMMITTED";
        job.endedAt = index;
        yield null;
      }
      case AuditEvent.FlRoundCompleted e -> {
        String bad = flRound(job, e);
        if (bad != null) yield bad;
        job.flRounds = e.round();
        job.lastGlobalModel = e.globalModelHash();
        yield null;
      }
      case JobFailed e -> {
        job.ended = "JOB_FAILED";
        job.endedAt = index;
        yield null;
      }
      case UsageSettled e -> {
        if (!job.resultCommitted) yield "it settles usage of job " + id + ", which has no RESULT_COMMITTED";
        if (job.submitted.datasets().stream().noneMatch(d -> d.dataset().equals(e.dataset()))) yield "it settles usage of " + e.dataset() + ", which job " + id + " did not use";
        if (e.units() < 0) yield "it settles " + e.units() + " units; usage is never negative";
        if (e.settlement().isPresent()) {
          String bad = settlement(job, e, e.settlement().get());
          if (bad != null) yield bad;
          job.settledAt.put(e.dataset(), index);
        }
        yield null;
      }
      default -> throw new IllegalStateException("no rule for " + event.type());
    };
  }

  private String licencePublished(LicencePublished e, OrgId actor) {
    if (!actor.equals(e.dataset().owner())) return "licence " + e.licenceId() + " for " + e.dataset() + " published by " + actor + ", but only its owner " + e.dataset().owner() + " may license it";
    if (!policies.getOrDefault(e.dataset(), Map.of()).containsKey(e.policyHash())) {
      return "licence " + e.licenceId() + " binds policy " + e.policyHash().shortForm() + "…, which was never published for " + e.dataset();
    }
    if (licences.containsKey(e.licenceHash())) return "licence " + e.licenceHash().shortForm() + "… was already published";
    if (e.pricePerJob() < 0 || e.pricePerVehicleMonth() < 0) return "licence " + e.licenceId() + " has a negative price";
    if (e.makerShareBasisPoints() < 0 || e.makerShareBasisPoints() > 10_000) return "licence " + e.licenceId() + " gives the maker " + e.makerShareBasisPoints() + " basis points; a share is 0 to 10,000";
    licences.put(e.licenceHash(), e);
    return null;
  }

  /** The licensed settlement's arithmetic, recomputed from the licence's terms: the first thing that does not add up. */
  private String settlement(Job job, UsageSettled e, AuditEvent.Settlement st) {
    JobId id = job.submitted.jobId();
    Long earlier = job.settledAt.get(e.dataset());
    if (earlier != null) return "usage of " + e.dataset() + " in job " + id + " was already settled at entry " + earlier;
    LicencePublished licence = licences.get(st.licence());
    if (licence == null) return "it settles under licence " + st.licence().shortForm() + "…, which was never published";
    if (!licence.dataset().equals(e.dataset())) return "it settles " + e.dataset() + " under licence " + licence.licenceId() + ", which licenses " + licence.dataset();
    if (!licence.consumer().equals(job.submitted.consumer())) {
      return "it settles job " + id + " of " + job.submitted.consumer() + " under licence " + licence.licenceId() + ", which licenses " + licence.consumer();
    }
    if (!licence.policyHash().equals(job.boundPolicies.get(e.dataset()))) {
      return "licence " + licence.licenceId() + " governs policy " + licence.policyHash().shortForm() + "…, but job " + id + " was authorised under another";
    }
    if (st.owners() < 0 || st.records() != e.units() || st.records() < st.owners()) {
      return "it pays for " + st.records() + " records of " + st.owners() + " owners with " + e.units() + " units: records are the units, at least one per owner";
    }
    if (st.owners() == 0 ? st.vehicleMonths() != 0 : st.vehicleMonths() < st.owners() || st.vehicleMonths() % st.owners() != 0) {
      return "it bills " + st.vehicleMonths() + " vehicle-months for " + st.owners() + " owners; each owner contributes the same whole number of months";
    }
    long amount;
    try {
      amount = licence.amountFor(st.vehicleMonths());
    } catch (RuntimeException ex) {
      return ex.getMessage();
    }
    if (st.amount() != amount) {
      return "it settles " + st.amount() + " " + licence.currency() + " minor units, but licence " + licence.licenceId() + " prices "
          + st.vehicleMonths() + " vehicle-months at " + amount;
    }
    long maker = licence.makerAmount(amount, st.owners());
    if (st.makerAmount() != maker) return "it gives the maker " + st.makerAmount() + ", but licence " + licence.licenceId() + " gives it " + maker + " of " + amount;
    if (st.ownersAmount() != amount - maker || st.ownersAmount() < 0) {
      return "the owners' part " + st.ownersAmount() + " and the maker's " + st.makerAmount() + " do not sum to the amount " + amount;
    }
    return null;
  }

  private static String undecided(Job job, JobId id) {
    return job.decision == null ? null : "job " + id + " was already decided (" + job.decision + " at entry " + job.decidedAt + "); a job is authorized or denied once";
  }

  private static String unauthorized(Job job, JobId id) {
    if (job.decision == null) return "job " + id + " has not been authorized";
    if (job.decision.equals("JOB_DENIED")) return "job " + id + " was denied at entry " + job.decidedAt;
    return null;
  }

  private String checkBindings(Job job, List<PolicyBinding> bindings) {
    JobId id = job.submitted.jobId();
    Set<DatasetVersion> bound = new HashSet<>();
    for (PolicyBinding b : bindings) {
      if (!job.submitted.datasets().contains(b.dataset())) return "it binds dataset " + b.dataset() + ", which job " + id + " did not submit";
      Policy p = policies.getOrDefault(b.dataset().dataset(), Map.of()).get(b.policyHash());
      if (p == null) return "it binds " + b.dataset() + " to policy " + b.policyHash().shortForm() + "…, which was never published for " + b.dataset().dataset();
      if (p.revokedAt().isPresent()) return "it binds " + b.dataset() + " to policy " + b.policyHash().shortForm() + "…, which was revoked at entry " + p.revokedAt().get();
      bound.add(b.dataset());
    }
    for (DatasetVersion d : job.submitted.datasets()) {
      if (!bound.contains(d)) return "it does not bind dataset " + d + " of job " + id + " to any policy";
    }
    return null;
  }

  /**
   * Checks the debits of an authorisation against the limits its policies published, and records them if they fit.
   * Nothing is recorded unless every binding fits, so a rejected entry leaves the replay as it was.
   */
  private String debit(Job job, JobAuthorized e) {
    OrgId consumer = job.submitted.consumer();
    Map<Digest, Long> uses = new HashMap<>();
    Map<Digest, BigDecimal> epsilon = new HashMap<>();
    for (PolicyBinding b : e.policies()) {
      Policy p = policies.get(b.dataset().dataset()).get(b.policyHash());
      String policy = "policy " + b.policyHash().shortForm() + "… of " + b.dataset().dataset();
      BigDecimal perQuery = p.limits().flatMap(AuditEvent.PolicyLimits::epsilonPerQuery).orElse(BigDecimal.ZERO);
      AuditEvent.Debit d = b.debit().orElse(AuditEvent.Debit.oneUse(perQuery));
      if (d.uses() != 1) return "it debits " + d.uses() + " uses of " + policy + " for " + b.dataset() + "; a job spends exactly 1 use of each dataset's policy";
      if (d.epsilon().compareTo(perQuery) < 0) {
        return "it debits epsilon " + d.epsilon().toPlainString() + " under " + policy + ", less than the policy's epsilonPerQuery "
            + perQuery.toPlainString() + ": the budget would be understated";
      }
      BigDecimal deltaPerQuery = p.limits().flatMap(AuditEvent.PolicyLimits::deltaPerQuery).orElse(BigDecimal.ZERO);
      if (d.delta().compareTo(deltaPerQuery) < 0) {
        return "it debits delta " + d.delta().toPlainString() + " under " + policy + ", less than the policy's deltaPerQuery "
            + deltaPerQuery.toPlainString() + ": the gaussian mechanism's failure probability would be understated";
      }
      Spending spent = spending.getOrDefault(b.policyHash(), new Spending());
      long usesNow = uses.merge(b.policyHash(), spent.uses + d.uses(), (a, x) -> a + d.uses());
      BigDecimal epsilonNow = epsilon.merge(b.policyHash(), spent.epsilon.getOrDefault(consumer, BigDecimal.ZERO).add(d.epsilon()), (a, x) -> a.add(d.epsilon()));
      if (p.limits().isEmpty()) continue;
      AuditEvent.PolicyLimits limits = p.limits().get();
      if (limits.maxUses().isPresent() && usesNow > limits.maxUses().getAsLong()) {
        return "it overspends " + policy + ": this is use " + usesNow + " of a policy that allows " + limits.maxUses().getAsLong()
            + " (policy published at entry " + p.publishedAt() + ")";
      }
      if (limits.epsilonTotal().isPresent() && epsilonNow.compareTo(limits.epsilonTotal().get()) > 0) {
        return "it overspends the privacy budget of " + policy + " for " + consumer + ": epsilon " + epsilonNow.toPlainString()
            + " of at most " + limits.epsilonTotal().get().toPlainString() + " (policy published at entry " + p.publishedAt() + ")";
      }
    }
    for (Map.Entry<Digest, Long> u : uses.entrySet()) spending.computeIfAbsent(u.getKey(), k -> new Spending()).uses = u.getValue();
    for (Map.Entry<Digest, BigDecimal> x : epsilon.entrySet()) spending.get(x.getKey()).epsilon.put(consumer, x.getValue());
    return null;
  }

  /**
   * Evidence of a simulated enclave ({@code simulated}) must not follow a COMPUTATION_STARTED that said the enclave
   * was not simulated: the start record would then claim a protection the job did not have. Records the evidence.
   */
  private static String simulationHidden(Job job, boolean simulated, long index, String what) {
    if (!simulated) return null;
    if (job.startedSimulated.isPresent() && !job.startedSimulated.get()) {
      return "it is a simulated " + what + ", but COMPUTATION_STARTED at entry " + job.startedAt + " said job " + job.submitted.jobId()
          + " runs in an enclave that is not simulated";
    }
    if (job.simulatedEvidenceAt == null) job.simulatedEvidenceAt = index;
    return null;
  }

  private static String keyReleased(Job job, KeyReleased e, OrgId actor) {
    JobId id = e.jobId();
    String unauthorized = unauthorized(job, id);
    if (unauthorized != null) return unauthorized;
    if (!actor.equals(e.dataset().owner())) return "the key of " + e.dataset() + " was released by " + actor + ", but only its owner " + e.dataset().owner() + " may release it";
    if (!job.submitted.datasets().contains(e.dataset())) return "it releases the key of " + e.dataset() + ", which job " + id + " does not use";
    if (!job.attestations.contains(new Attestation(actor, e.measurement(), e.simulated()))) {
      return "no ATTESTATION_VERIFIED by " + actor + " of measurement " + e.measurement().shortForm() + "…" + (e.simulated() ? " (simulated)" : "")
          + " for job " + id + " precedes this key release";
    }
    job.keys.computeIfAbsent(e.dataset(), d -> new ArrayList<>()).add(e);
    return null;
  }

  /**
   * A version-2 KEY_RELEASED's freshness, recomputed from the log: the authorisation it names is the job's, the nonce is
   * that entry's for the recipient key, and the entry stands within the window its owner stated.
   */
  /** The KEY_RELEASE_REFUSED reason with which an owner declares a KEY_RELEASED past its window void. */
  private static final String WITHHELD = "authorisation-expired";

  /** A rule broken by an entry that the rest of the log did not put right: a void KEY_RELEASED nobody withdrew. */
  record Unresolved(long index, String reason) {}

  /** After the last entry: the first void KEY_RELEASED whose owner never declared the key withheld, if any. */
  Optional<Unresolved> unresolved() {
    return jobs.values().stream()
        .flatMap(j -> j.voidReleases.entrySet().stream().map(v -> new Unresolved(v.getValue(), voidRelease(j, v.getKey()))))
        .min(java.util.Comparator.comparingLong(Unresolved::index));
  }

  private static String voidRelease(Job job, DatasetVersion d) {
    return "the key of " + d + " was released past the window its owner stated (see this entry's freshness) for job " + job.submitted.jobId()
        + ", and " + d.owner() + " never recorded that it withheld the key (KEY_RELEASE_REFUSED " + WITHHELD + "): the authorisation had expired"
        + " on the ledger's clock when the key left";
  }

  private static String freshness(Job job, KeyReleased e, long index, io.covenant.core.crypto.CryptoSuite suite) {
    if (e.freshness().isEmpty()) return null;
    AuditEvent.Freshness f = e.freshness().get();
    JobId id = e.jobId();
    if (f.authorisation() != job.decidedAt) {
      return "the key of " + e.dataset() + " was released against the authorisation at entry " + f.authorisation() + ", but job " + id
          + "'s JOB_AUTHORIZED is entry " + job.decidedAt + ": its evidence was bound to another authorisation";
    }
    Digest expected = new io.covenant.core.keyrelease.AuthorisationEntry(job.decidedAt, job.authorisationLeaf).nonce(suite, e.recipientKey());
    if (!expected.equals(f.nonce())) {
      return "the key of " + e.dataset() + " names nonce " + f.nonce().shortForm() + "…, but the nonce of job " + id + "'s authorisation (entry "
          + job.decidedAt + ") for recipient key " + e.recipientKey().shortForm() + "… is " + expected.shortForm() + "…: the release was not bound to this job's authorisation";
    }
    if (index - job.decidedAt > f.windowEntries()) {
      // Void: the owner saw where it landed only after appending. It must say it withheld the key; nothing may rely on it.
      job.voidReleases.put(e.dataset(), index);
      job.keys.getOrDefault(e.dataset(), new ArrayList<>()).remove(e);
    }
    return null;
  }

  /**
   * A federated round: for a started fl job, numbered one after the last, naming only the job's input owners, each at
   * most once across participants, dropped and declined, with at least one participant.
   */
  private String flRound(Job job, AuditEvent.FlRoundCompleted e) {
    JobId id = e.jobId();
    String unauthorized = unauthorized(job, id);
    if (unauthorized != null) return unauthorized;
    if (job.submitted.engine() != Engine.FL) return "FL_ROUND_COMPLETED for job " + id + ", which was submitted for engine " + job.submitted.engine().wireName() + ", not fl";
    if (!job.started) return "FL_ROUND_COMPLETED for job " + id + " before its COMPUTATION_STARTED";
    if (e.round() != job.flRounds + 1) return "round " + e.round() + " of job " + id + " follows round " + job.flRounds + "; rounds are recorded one after another";
    if (e.participants().isEmpty()) return "round " + e.round() + " of job " + id + " names no participant: an aggregate of nobody's update";
    Set<OrgId> owners = new HashSet<>();
    for (DatasetVersion d : job.submitted.datasets()) owners.add(d.owner());
    Set<OrgId> named = new HashSet<>();
    for (List<OrgId> list : List.of(e.participants(), e.dropped(), e.declined())) {
      for (OrgId h : list) {
        if (!owners.contains(h)) return "round " + e.round() + " of job " + id + " names " + h + ", which owns none of the job's datasets " + owners;
        if (!named.add(h)) return "round " + e.round() + " of job " + id + " names " + h + " twice (a hospital participates, drops or declines, once)";
      }
    }
    return null;
  }

  /**
   * A homomorphic-encryption job's ciphertext record: only in an authorised he job, the consumer's MODEL or KEYS signed
   * by the consumer (once), an owner's SCORES or INPUT signed by the owner of a dataset the job uses (once per dataset),
   * and a job's owners all record the same role (SCORES for a score, INPUT for an aggregate).
   */
  private String ciphertextRecorded(Job job, AuditEvent.CiphertextRecorded e, OrgId actor) {
    JobId id = e.jobId();
    String unauthorized = unauthorized(job, id);
    if (unauthorized != null) return unauthorized;
    if (job.submitted.engine() != Engine.HE) return "CIPHERTEXT_RECORDED for job " + id + ", which was submitted for engine " + job.submitted.engine().wireName() + ", not he";
    if (e.role().consumers()) {
      if (!actor.equals(job.submitted.consumer())) return "the " + e.role().wireName() + " ciphertext of job " + id + " is recorded by " + actor + ", but only its consumer " + job.submitted.consumer() + " holds that key";
      if (job.consumerCiphertext != null) return "job " + id + "'s consumer recorded its " + job.consumerCiphertext.role().wireName() + " ciphertext twice";
      job.consumerCiphertext = e;
      return null;
    }
    DatasetVersion d = e.dataset().orElseThrow();
    if (!actor.equals(d.owner())) return "the " + e.role().wireName() + " ciphertext of " + d + " is recorded by " + actor + ", but only its owner " + d.owner() + " computes on it";
    if (!job.submitted.datasets().contains(d)) return "it records a ciphertext of " + d + ", which job " + id + " does not use";
    for (AuditEvent.CiphertextRecorded other : job.ownerCiphertexts.values()) {
      if (other.role() != e.role()) return "job " + id + " mixes " + other.role().wireName() + " and " + e.role().wireName() + " ciphertexts: a job scores or aggregates, not both";
    }
    if (job.ownerCiphertexts.putIfAbsent(d, e) != null) return "the ciphertext of " + d + " was recorded into job " + id + " twice";
    return null;
  }

  private String resultCommitted(Job job, ResultCommitted e) {
    JobId id = e.jobId();
    String unauthorized = unauthorized(job, id);
    if (unauthorized != null) return unauthorized;
    Engine engine = job.submitted.engine();
    if (e.engine() != engine) return "job " + id + " was submitted for engine " + engine.wireName() + " but its result claims " + e.engine().wireName();
    List<Cid> expected = job.submitted.datasets().stream().map(d -> datasets.get(d).manifest()).sorted().toList();
    List<Cid> claimed = e.inputManifests().stream().sorted().toList();
    if (!expected.equals(claimed)) {
      return "its input manifests " + shortCids(claimed) + " are not the manifests of job " + id + "'s datasets " + shortCids(expected);
    }
    if (engine == Engine.FL) {
      if (e.modelHash().isEmpty()) return "a federated result must name the hash of the model it seals";
      if (job.lastGlobalModel != null && !job.lastGlobalModel.equals(e.modelHash().get())) {
        return "the federated result seals model " + e.modelHash().get().shortForm() + "…, but the job's last round (" + job.flRounds + ") produced "
            + job.lastGlobalModel.shortForm() + "…";
      }
    }
    if (engine == Engine.MPC) {
      for (DatasetVersion d : job.submitted.datasets()) {
        if (!job.shared.containsKey(d)) return "no INPUT_SHARED by " + d.owner() + " for dataset " + d + " precedes the result: the committee could not have computed on it";
      }
    }
    if (engine == Engine.HE) {
      if (job.consumerCiphertext == null) return "no CIPHERTEXT_RECORDED by the consumer " + job.submitted.consumer() + " (its encrypted model or key) precedes the result of job " + id;
      for (DatasetVersion d : job.submitted.datasets()) {
        if (!job.ownerCiphertexts.containsKey(d)) return "no CIPHERTEXT_RECORDED by " + d.owner() + " for dataset " + d + " precedes the result: no owner computed on it";
      }
      // A score's result is the owner's encrypted scores themselves, so the coordinator's hash must be the owner's.
      for (AuditEvent.CiphertextRecorded r : job.ownerCiphertexts.values()) {
        if (r.role() == AuditEvent.CiphertextRecorded.Role.SCORES && !r.ciphertextHash().equals(e.resultHash())) {
          return "the result of job " + id + " hashes to " + e.resultHash().shortForm() + "…, but " + r.dataset().orElseThrow().owner() + " recorded its encrypted scores as "
              + r.ciphertextHash().shortForm() + "…: the stored result is not what the owner computed";
        }
      }
    }
    if (engine == Engine.TEE) {
      if (!job.voidReleases.isEmpty()) {
        var v = job.voidReleases.entrySet().iterator().next();
        return "the result follows the KEY_RELEASED of " + v.getKey() + " at entry " + v.getValue() + ", which stands past the window its owner stated"
            + " and was not withdrawn: the enclave read data under an expired authorisation";
      }
      if (e.measurement().isEmpty()) return "a tee result must name the measurement of the enclave that computed it";
      Measurement m = e.measurement().get();
      boolean anySimulated = false;
      for (DatasetVersion d : job.submitted.datasets()) {
        List<KeyReleased> released = job.keys.getOrDefault(d, List.of());
        if (released.isEmpty() && job.withdrawnReleases.containsKey(d)) {
          return "the result follows only the KEY_RELEASED of " + d + " at entry " + job.withdrawnReleases.get(d) + ", which stands past the window"
              + " its owner stated and which its owner withdrew: the enclave could not have read it under this authorisation";
        }
        if (released.isEmpty()) return "no KEY_RELEASED for dataset " + d + " precedes the result: the enclave could not have read it";
        for (KeyReleased k : released) {
          if (!k.measurement().equals(m)) {
            return "the key of " + d + " was released to measurement " + k.measurement().shortForm() + "…, but the result claims measurement " + m.shortForm() + "…";
          }
          anySimulated |= k.simulated();
        }
      }
      if (anySimulated && !e.simulated()) return "the result is marked as not simulated, but keys were released to a simulated enclave";
    }
    if (!e.simulated() && job.simulatedEvidenceAt != null) {
      return "the result is marked as not simulated, but entry " + job.simulatedEvidenceAt + " recorded simulated evidence for job " + id;
    }
    if (!e.simulated() && job.startedSimulated.orElse(false)) {
      return "the result is marked as not simulated, but COMPUTATION_STARTED at entry " + job.startedAt + " said job " + id + " runs in a simulated enclave";
    }
    return null;
  }

  private static String shortCids(List<Cid> cids) {
    return cids.stream().map(Cid::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
