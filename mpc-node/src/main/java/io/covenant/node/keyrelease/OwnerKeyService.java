package io.covenant.node.keyrelease;

import io.covenant.core.keyrelease.AuthorisationEntry;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.KeyService;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.crypto.WrappedKey;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.policy.Policy;
import io.covenant.core.attestation.AttestationException;
import io.covenant.core.attestation.AttestationVerifier;
import io.covenant.core.attestation.VerifiedAttestation;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The data owner's key service: releases a dataset key to an attested enclave, and only when every condition
 * holds, each checked by the owner itself from the ledger and its own records, never from the coordinator's database
 * or its say-so:
 *
 * <ol>
 *   <li>the dataset belongs to this owner;
 *   <li>the ledger holds the job's JOB_SUBMITTED for the tee engine using the dataset, and exactly one JOB_AUTHORIZED,
 *       by the trusted authoriser, binding the dataset version to a policy hash; no JOB_DENIED, RESULT_COMMITTED or
 *       JOB_FAILED for the job;
 *   <li>that policy is in the owner's own records ({@link PublishedPolicies}, by hash), is for this dataset, was
 *       published on the ledger by the owner, is the owner's latest POLICY_PUBLISHED for the dataset (a job authorised
 *       under a policy since replaced gets nothing), is not revoked (POLICY_REVOKED), and is in force now;
 *   <li>the authorisation records its debit under the policy: one use, and at least the policy's epsilonPerQuery;
 *   <li>counting every debit the authoriser recorded under the policy up to and including this job's (in log order),
 *       uses do not exceed the policy's maxUses (all consumers together) and the job's consumer's epsilon does not
 *       exceed epsilonTotal (the budget is per consumer);
 *   <li>the request is anchored to the job's JOB_AUTHORIZED entry as this owner's copy of the ledger holds it (same
 *       index, same leaf hash), and the evidence carries that entry's attestation nonce for this enclave key
 *       ({@link io.covenant.core.keyrelease.AuthorisationEntry#nonce}): evidence replayed from an earlier job or made for
 *       another job's authorisation is refused as {@code stale-nonce}; the ledger has not grown past the policy's
 *       {@code tee.freshnessEntries} since that entry (else {@code authorisation-expired}). Freshness is measured on the
 *       ledger only (RFC 9334 section 10.2, nonce-based): neither the worker's clock (the evidence's issue time decides
 *       nothing) nor this node's;
 *   <li>the attestation evidence verifies and carries the report data of this request, which binds it to the job, the
 *       dataset, the enclave key the released key will be sealed to, and the nonce;
 *   <li>the policy accepts the measurement, and simulation only if it allows simulation.
 * </ol>
 *
 * Then it records ATTESTATION_VERIFIED and KEY_RELEASED, signed by the owner and naming the measurement, the
 * simulation flag and the freshness it was decided under (authorisation entry, nonce, window), as one batch append ({@link Ledger#appendAll}: consecutive entries, both or neither), and returns the data key (unwrapped from the owner's KEK, context the dataset version) sealed
 * with HPKE to the enclave key together with the hash of the policy it decided under: the enclave applies that
 * policy's output controls and refuses any other policy text it is handed for the dataset. The key is unwrapped and sealed before anything is recorded, so a failure never
 * leaves a KEY_RELEASED for a key that was not released. A refusal releases nothing; it is recorded as
 * KEY_RELEASE_REFUSED, signed by the owner, whenever the ledger knows the job uses the dataset (a refusal of a request
 * for someone else's dataset, for a job the ledger does not know, or for a job that already ended records nothing).
 *
 * <p>A coordinator could withhold the newest entries from this owner's copy, so that an old authorisation looks
 * fresh. The batch append shows where the records really landed (a mirror verifies the entries before them); if the
 * KEY_RELEASED stands past the window, the sealed key is not handed over and the refusal is recorded, which declares
 * that KEY_RELEASED void: {@code verify} accepts a release past its window only when so withdrawn, and never a result
 * that follows it.
 */
public final class OwnerKeyService implements KeyService {
  private final OrgCredentials owner;
  private final KeyEncryptionKey kek;
  private final Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys;
  private final Function<Digest, Optional<Policy>> publishedPolicies;
  private final Ledger ledger;
  private final AttestationVerifier verifier;
  private final Clock clock;
  private final OrgId authoriser;
  private final OwnerLedgerView view;

  /**
   * @param authoriser the one organisation (the coordinator's operator) whose JOB_AUTHORIZED this owner accepts; any
   *     other organisation could otherwise authorise its own jobs on a shared ledger
   * @param publishedPolicies the policies this owner published, by hash, from its own records (see
   *     {@link PublishedPolicies}); never the coordinator's catalogue
   */
  public OwnerKeyService(
      OrgCredentials owner,
      OrgId authoriser,
      KeyEncryptionKey kek,
      Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys,
      Function<Digest, Optional<Policy>> publishedPolicies,
      Ledger ledger,
      AttestationVerifier verifier,
      Clock clock) {
    if (owner == null || authoriser == null || kek == null || wrappedKeys == null || publishedPolicies == null || ledger == null || verifier == null || clock == null) {
      throw new MalformedInputException("an owner key service needs the owner's credentials, the trusted authoriser, KEK, wrapped keys, its own policy records, ledger, verifier and clock");
    }
    this.owner = owner;
    this.authoriser = authoriser;
    this.kek = kek;
    this.wrappedKeys = wrappedKeys;
    this.publishedPolicies = publishedPolicies;
    this.ledger = ledger;
    this.verifier = verifier;
    this.clock = clock;
    this.view = new OwnerLedgerView(owner.org(), authoriser, ledger);
  }

  @Override
  public SealedMessage release(KeyReleaseRequest request) {
    if (request == null) throw new MalformedInputException("there is no key-release request");
    DatasetVersion dataset = request.dataset();
    String what = "key for " + dataset + " in " + request.job();

    if (!dataset.owner().equals(owner.org())) {
      throw new KeyReleaseRefusedException(Reason.NOT_OWNER,
          owner.org() + " refuses the " + what + ": the dataset belongs to " + dataset.owner() + "; ask its owner's key service");
    }
    if (request.enclaveKey().suite() != owner.signingKey().suite()) {
      throw new MalformedInputException(owner.org() + " refuses the " + what + ": the enclave key is a key of the " + request.enclaveKey().suite().id()
          + " suite, but this consortium seals keys under " + owner.signingKey().suite().id() + " (" + owner.signingKey().suite().kemAlgorithm()
          + "); the worker runs another suite than the consortium's. Nothing was released");
    }
    JobOnLedger job = readJob(request.job(), dataset, Engine.TEE, what);
    Policy policy;
    try {
      policy = checkPolicyAndBudget(job, dataset, what);
    } catch (KeyReleaseRefusedException e) {
      throw recorded(request.job(), dataset, e);
    }

    AuthorisationEntry anchor = job.anchor();
    long window = policy.tee().freshnessEntries();
    VerifiedAttestation attestation;
    try {
      checkFreshness(request, anchor, window, what);
      attestation = checkAttestation(request, anchor, policy, what);
    } catch (KeyReleaseRefusedException e) {
      throw recorded(request.job(), dataset, e);
    }
    long decidedAtSize = ledger.size();

    WrappedKey wrapped = wrappedKeys.apply(dataset).orElseThrow(() -> new KeyReleaseRefusedException(Reason.NO_KEY,
        owner.org() + " refuses the " + what + ": it holds no wrapped data key for " + dataset + "; was this version published by this owner?"));
    DataKey key;
    try {
      key = kek.unwrap(wrapped, dataset.toString());
    } catch (IntegrityException e) {
      throw new IntegrityException(owner.org() + "'s key-encryption key does not open the wrapped data key of " + dataset
          + ": the owner key is wrong (check the owner's keystore) or the wrapped key was altered; nothing was released", e);
    }
    SealedMessage sealed;
    try {
      SubjectKey subjects = kek.subjectKey(dataset.dataset());
      try {
        sealed = request.seal(key, subjects, policy.hash(owner.signingKey().suite()));
      } finally {
        subjects.destroy();
      }
    } finally {
      key.destroy();
    }

    // Two signed entries, appended as one batch: consecutive, both or neither, and one round trip from a node.
    Digest recipient = request.enclaveKey().fingerprint();
    AuditEvent.Freshness freshness = new AuditEvent.Freshness(anchor.index(), anchor.nonce(owner.signingKey().suite(), recipient), window);
    Instant at = clock.instant();
    List<LedgerEntry> appended = ledger.appendAll(List.of(
        SignedEvent.sign(new AuditEvent.AttestationVerified(
            request.job(), attestation.measurement(), attestation.provider(), attestation.simulated(), attestation.evidenceHash(owner.signingKey().suite())), owner.org(), owner.signingKey(), at),
        SignedEvent.sign(new AuditEvent.KeyReleased(
            request.job(), dataset, attestation.measurement(), attestation.simulated(), recipient, Optional.of(freshness)), owner.org(), owner.signingKey(), at)));
    long releasedAt = appended.get(appended.size() - 1).index();
    if (releasedAt - anchor.index() > window) {
      // The log was longer than the copy this owner decided on (entries withheld from it, or a race at the window's
      // last entry): the record is void and the key stays here.
      throw recorded(request.job(), dataset, new KeyReleaseRefusedException(Reason.AUTHORISATION_EXPIRED, owner.org() + " withholds the " + what
          + ": its KEY_RELEASED landed at entry " + releasedAt + ", " + (releasedAt - anchor.index()) + " entries after the job's authorisation ("
          + anchor + "), past the " + window + " its policy allows (tee.freshnessEntries), although its copy of the ledger held only "
          + decidedAtSize + " entries when it decided: entries it had not been shown (withheld from it, or appended meanwhile) stood"
          + " between. That KEY_RELEASED is void and this refusal"
          + " says so; nothing was handed over; submit the job again"));
    }
    // The log's order is what counts: whatever landed between the log this decision read and the KEY_RELEASED (a
    // revocation, a newer policy, the job's end) overtakes it, and the key does not leave. The answer to the append
    // brought the mirror up to the KEY_RELEASED, so this reads no more than the decision did.
    Optional<KeyReleaseRefusedException> overtaken = overtaken(job, dataset, releasedAt, what);
    if (overtaken.isPresent()) throw recorded(request.job(), dataset, overtaken.get());
    return sealed;
  }

  /**
   * The owner's own decision before its node computes on {@code dataset} itself for {@code job} (a multi-party job:
   * no key leaves the node, the node decrypts and secret-shares the data): the same checks as a key release (conditions
   * 1 to 5 above: the ledger's submission for {@code engine}, the authoriser's single binding, the owner's current,
   * unrevoked policy in force, the recorded debit, uses and budget counted from the ledger), and that the policy allows
   * {@code engine}. A refusal is recorded as KEY_RELEASE_REFUSED, signed by the owner, as for an enclave.
   *
   * @return the policy the owner decided under: its output controls apply
   */
  public Policy authoriseOwnUse(io.covenant.core.id.JobId jobId, DatasetVersion dataset, Engine engine) {
    return authoriseOwnUse(jobId, dataset, engine, io.covenant.core.job.MpcSecurity.SEMI_HONEST);
  }

  /**
   * As {@link #authoriseOwnUse(io.covenant.core.id.JobId, DatasetVersion, Engine)}, for a multi-party job that runs in
   * {@code security}: refused (and the refusal recorded, reason {@code security-too-weak}) when the owner's policy
   * requires a stronger mode ({@code mpc.security}).
   */
  public Policy authoriseOwnUse(io.covenant.core.id.JobId jobId, DatasetVersion dataset, Engine engine, io.covenant.core.job.MpcSecurity security) {
    String what = "use of " + dataset + " in " + jobId + " (" + engine.wireName() + " engine)";
    if (!dataset.owner().equals(owner.org())) {
      throw new KeyReleaseRefusedException(Reason.NOT_OWNER, owner.org() + " refuses the " + what + ": the dataset belongs to " + dataset.owner());
    }
    JobOnLedger job = readJob(jobId, dataset, engine, what);
    try {
      Policy policy = checkPolicyAndBudget(job, dataset, what);
      if (!policy.engines().contains(engine)) {
        throw new KeyReleaseRefusedException(Reason.ENGINE_NOT_ALLOWED, owner.org() + " refuses the " + what + ": " + policy + " allows the "
            + policy.engines().stream().map(Engine::wireName).toList() + " engine(s) only");
      }
      if (engine == Engine.MPC && !security.satisfies(policy.mpc().security())) {
        throw new KeyReleaseRefusedException(Reason.SECURITY_TOO_WEAK, owner.org() + " refuses the " + what + ": the job runs "
            + security.wireName() + " (secure only while every party follows the protocol), and policy " + policy.id() + " requires mpc.security "
            + policy.mpc().security().wireName() + "; submit the query with \"security\": \"malicious\"");
      }
      return policy;
    } catch (KeyReleaseRefusedException e) {
      throw recorded(jobId, dataset, e);
    }
  }

  /**
   * The job as the ledger has it, for this request: who submitted it, the authoriser's binding of the dataset, and the
   * JOB_AUTHORIZED entry itself (the anchor of the attestation nonce).
   */
  private record JobOnLedger(OrgId consumer, OwnerLedgerView.Authorisation authorisation, AuthorisationEntry anchor) {}

  /**
   * Reads the job's entries. Refusals here record nothing when the ledger does not know the job uses the dataset (or
   * the job already ended); otherwise they are recorded like every later refusal.
   */
  private JobOnLedger readJob(io.covenant.core.id.JobId jobId, DatasetVersion dataset, Engine engine, String what) {
    Optional<OrgId> consumer = Optional.empty();
    Optional<OwnerLedgerView.Authorisation> bound = Optional.empty();
    Optional<LedgerEntry> authorised = Optional.empty();
    Optional<KeyReleaseRefusedException> refusal = Optional.empty();
    for (LedgerEntry entry : ledger.entriesForJob(jobId)) {
      switch (entry.event().event()) {
        case AuditEvent.JobSubmitted s -> {
          if (s.engine() == engine && s.datasets().contains(dataset)) consumer = Optional.of(s.consumer());
        }
        case AuditEvent.JobAuthorized a -> {
          if (refusal.isPresent()) continue;
          if (!entry.event().actor().equals(authoriser)) {
            refusal = Optional.of(new KeyReleaseRefusedException(Reason.NOT_AUTHORIZED, owner.org() + " refuses the " + what + ": the job was authorised by "
                + entry.event().actor() + " (entry " + entry.index() + "), but this owner accepts authorisations only from " + authoriser));
            continue;
          }
          if (authorised.isPresent()) {
            refusal = Optional.of(new KeyReleaseRefusedException(Reason.NOT_AUTHORIZED, owner.org() + " refuses the " + what
                + ": the job is authorised twice (entries " + authorised.get().index() + " and " + entry.index() + "); a job is authorised once"));
            continue;
          }
          authorised = Optional.of(entry);
          for (AuditEvent.PolicyBinding b : a.policies()) {
            if (b.dataset().equals(dataset)) {
              bound = Optional.of(new OwnerLedgerView.Authorisation(entry.index(), jobId, null, b.dataset(), b.policyHash(), b.debit()));
            }
          }
        }
        case AuditEvent.JobDenied d -> {
          if (refusal.isEmpty()) refusal = Optional.of(new KeyReleaseRefusedException(Reason.NOT_AUTHORIZED,
              owner.org() + " refuses the " + what + ": the ledger records JOB_DENIED for the job (entry " + entry.index() + ")"));
        }
        case AuditEvent.ResultCommitted r -> throw new KeyReleaseRefusedException(Reason.JOB_FINISHED,
            owner.org() + " refuses the " + what + ": the job already committed its result (entry " + entry.index() + "); keys are released only while a job runs");
        case AuditEvent.JobFailed f -> throw new KeyReleaseRefusedException(Reason.JOB_FINISHED,
            owner.org() + " refuses the " + what + ": the job already failed (entry " + entry.index() + "); submit a new job");
        default -> { }
      }
    }
    if (consumer.isEmpty()) {
      throw new KeyReleaseRefusedException(Reason.NOT_AUTHORIZED,
          owner.org() + " refuses the " + what + ": the ledger has no JOB_SUBMITTED of this job for the " + engine.wireName() + " engine using " + dataset);
    }
    OrgId c = consumer.get();
    if (refusal.isPresent()) throw recorded(jobId, dataset, refusal.get());
    if (bound.isEmpty()) {
      throw recorded(jobId, dataset, new KeyReleaseRefusedException(Reason.NOT_AUTHORIZED, owner.org() + " refuses the " + what + ": "
          + (authorised.isPresent() ? "the job's JOB_AUTHORIZED (entry " + authorised.get().index() + ") does not bind " + dataset + " to a policy"
              : "the ledger holds no JOB_AUTHORIZED for the job")));
    }
    OwnerLedgerView.Authorisation b = bound.get();
    LedgerEntry entry = authorised.orElseThrow(); // present: the binding came from it
    return new JobOnLedger(c, new OwnerLedgerView.Authorisation(b.index(), b.job(), c, b.dataset(), b.policyHash(), b.debit()),
        new AuthorisationEntry(entry.index(), entry.leafHash()));
  }

  /**
   * What, in the log before entry {@code releasedAt} (this owner's KEY_RELEASED), makes the release wrong although the
   * decision passed: the job ended, or the owner revoked the bound policy or published a newer one for the dataset.
   */
  private Optional<KeyReleaseRefusedException> overtaken(JobOnLedger job, DatasetVersion dataset, long releasedAt, String what) {
    for (LedgerEntry e : ledger.entriesForJob(job.authorisation().job())) {
      if (e.index() >= releasedAt) break;
      if (e.event().event() instanceof AuditEvent.ResultCommitted || e.event().event() instanceof AuditEvent.JobFailed) {
        return Optional.of(new KeyReleaseRefusedException(Reason.JOB_FINISHED, owner.org() + " withholds the " + what + ": the job ended at entry "
            + e.index() + ", before this owner's KEY_RELEASED (entry " + releasedAt + ") reached the log; the key did not leave the node"));
      }
    }
    Digest hash = job.authorisation().policyHash();
    view.catchUp();
    Optional<Long> revoked = view.revokedAt(hash);
    if (revoked.isPresent() && revoked.get() < releasedAt) {
      return Optional.of(new KeyReleaseRefusedException(Reason.POLICY_REVOKED, owner.org() + " withholds the " + what + ": the owner revoked policy "
          + hash.shortForm() + "… at entry " + revoked.get() + ", before this owner's KEY_RELEASED (entry " + releasedAt + "); the key did not leave the node"));
    }
    Optional<Digest> latest = view.latest(dataset.dataset());
    if (latest.isPresent() && !latest.get().equals(hash)) {
      Optional<Long> newerAt = view.publishedAt(dataset.dataset(), latest.get());
      if (newerAt.isPresent() && newerAt.get() < releasedAt) {
        return Optional.of(new KeyReleaseRefusedException(Reason.POLICY_SUPERSEDED, owner.org() + " withholds the " + what + ": the owner published policy "
            + latest.get().shortForm() + "… for " + dataset.dataset() + " at entry " + newerAt.get() + ", before this owner's KEY_RELEASED (entry "
            + releasedAt + "); the key did not leave the node"));
      }
    }
    return Optional.empty();
  }

  /** The owner's own checks of the bound policy and of what has been spent under it; returns the policy. */
  private Policy checkPolicyAndBudget(JobOnLedger job, DatasetVersion dataset, String what) {
    OwnerLedgerView.Authorisation at = job.authorisation();
    Digest hash = at.policyHash();
    String named = "policy " + hash.shortForm() + "…";
    Policy policy = publishedPolicies.apply(hash)
        .filter(p -> p.dataset().equals(dataset.dataset()))
        .orElseThrow(() -> new KeyReleaseRefusedException(Reason.POLICY_NOT_PUBLISHED, owner.org() + " refuses the " + what
            + ": the job's JOB_AUTHORIZED (entry " + at.index() + ") binds " + dataset + " to " + named + ", which " + owner.org()
            + " never published for " + dataset.dataset() + " (it is not in the owner's own policy records)"));
    view.catchUp();
    if (view.publishedAt(dataset.dataset(), hash).isEmpty()) {
      throw new KeyReleaseRefusedException(Reason.POLICY_NOT_PUBLISHED, owner.org() + " refuses the " + what + ": " + policy
          + " is in the owner's records but the ledger holds no POLICY_PUBLISHED of it for " + dataset.dataset() + " by " + owner.org()
          + "; publish it again");
    }
    Optional<Long> revoked = view.revokedAt(hash);
    if (revoked.isPresent()) {
      throw new KeyReleaseRefusedException(Reason.POLICY_REVOKED, owner.org() + " refuses the " + what + ": the job was authorised under " + policy
          + ", which the owner revoked (entry " + revoked.get() + "); nothing may be computed under it");
    }
    Digest current = view.latest(dataset.dataset()).orElse(hash); // present: the owner published this hash for the dataset
    if (!current.equals(hash)) {
      throw new KeyReleaseRefusedException(Reason.POLICY_SUPERSEDED, owner.org() + " refuses the " + what + ": the job was authorised under "
          + policy + ", but the owner's current policy for " + dataset.dataset() + " is " + current.shortForm() + "…; submit the job again");
    }
    Instant now = clock.instant();
    if (!policy.isValidAt(now)) {
      throw new KeyReleaseRefusedException(Reason.NO_POLICY, owner.org() + " refuses the " + what + ": " + policy + " is not in force at " + now);
    }
    BigDecimal perQuery = policy.privacy().map(Policy.PrivacyBudget::epsilonPerQuery).orElse(BigDecimal.ZERO);
    AuditEvent.Debit debit = at.debit().orElseThrow(() -> new KeyReleaseRefusedException(Reason.DEBIT_UNDERSTATED, owner.org() + " refuses the "
        + what + ": the job's JOB_AUTHORIZED (entry " + at.index() + ") records no debit under " + policy
        + "; this owner releases keys only for authorisations that record what they spend"));
    if (debit.uses() != 1 || debit.epsilon().compareTo(perQuery) < 0) {
      throw new KeyReleaseRefusedException(Reason.DEBIT_UNDERSTATED, owner.org() + " refuses the " + what + ": the job's JOB_AUTHORIZED (entry "
          + at.index() + ") debits " + debit.uses() + " use" + (debit.uses() == 1 ? "" : "s") + " and epsilon " + debit.epsilon().toPlainString()
          + " under " + policy + ", but a job spends 1 use and the policy's epsilonPerQuery " + perQuery.toPlainString());
    }
    OwnerLedgerView.Spent spent = view.spentThrough(at, perQuery);
    if (policy.maxUses().isPresent() && spent.uses() > policy.maxUses().getAsLong()) {
      throw new KeyReleaseRefusedException(Reason.USES_EXHAUSTED, owner.org() + " refuses the " + what + ": the ledger records " + spent.uses()
          + " authorisations under " + policy + " up to this job's (entry " + at.index() + "), but it allows " + policy.maxUses().getAsLong()
          + " uses; the authoriser overspent the policy");
    }
    Optional<BigDecimal> total = policy.privacy().map(Policy.PrivacyBudget::epsilonTotal);
    if (total.isPresent() && spent.epsilonOfConsumer().compareTo(total.get()) > 0) {
      throw new KeyReleaseRefusedException(Reason.BUDGET_EXHAUSTED, owner.org() + " refuses the " + what + ": " + job.consumer() + " has spent epsilon "
          + spent.epsilonOfConsumer().toPlainString() + " under " + policy + " up to this job's authorisation (entry " + at.index()
          + "), but its privacy budget is " + total.get().toPlainString() + "; the authoriser overspent the budget");
    }
    return policy;
  }

  /**
   * Nonce-based freshness, judged on this owner's copy of the ledger: the request names the job's JOB_AUTHORIZED as
   * this copy holds it, the evidence carries that entry's nonce for the request's enclave key, and a KEY_RELEASED
   * appended now would stand at most {@code window} entries after it.
   */
  private void checkFreshness(KeyReleaseRequest request, AuthorisationEntry anchor, long window, String what) {
    if (request.authorisation().isEmpty()) {
      throw new KeyReleaseRefusedException(Reason.NONCE_MISSING, owner.org() + " refuses the " + what + ": the request names no JOB_AUTHORIZED entry"
          + " to bind its evidence's nonce to, so nothing shows the evidence was made after the job was authorised; upgrade the worker");
    }
    AuthorisationEntry named = request.authorisation().get();
    if (!named.equals(anchor)) {
      throw new KeyReleaseRefusedException(Reason.STALE_NONCE, owner.org() + " refuses the " + what + ": its evidence is bound to " + named
          + ", " + describe(named) + ", but on " + owner.org() + "'s copy of the ledger the job's JOB_AUTHORIZED is " + anchor
          + ": evidence bound to another authorisation than this job's is never accepted");
    }
    Digest expected = anchor.nonce(owner.signingKey().suite(), request.enclaveKey().fingerprint());
    Digest carried = KeyReleaseRequest.nonceIn(request.evidence().reportData());
    if (!carried.equals(expected)) {
      throw new KeyReleaseRefusedException(Reason.STALE_NONCE, owner.org() + " refuses the " + what + ": the evidence carries nonce "
          + carried.shortForm() + "…, not " + expected.shortForm() + "…, the nonce of this job's authorisation (" + anchor + ") for enclave key "
          + request.enclaveKey().fingerprint().shortForm() + "…: it was made before this authorisation existed (replayed from an earlier job or"
          + " session) or for another enclave key; ask the enclave for evidence bound to this job's authorisation");
    }
    long size = ledger.size();
    long age = size + 1 - anchor.index(); // where this release's KEY_RELEASED would stand, after its ATTESTATION_VERIFIED
    if (age > window) {
      throw new KeyReleaseRefusedException(Reason.AUTHORISATION_EXPIRED, owner.org() + " refuses the " + what + ": the job was authorised at "
          + anchor + " and the ledger holds " + (size - 1 - anchor.index()) + " entries after it, so its KEY_RELEASED would stand " + age
          + " entries after the authorisation, past the " + window + " the owner's policy allows (tee.freshnessEntries, counted on the"
          + " ledger, not by any clock); submit the job again");
    }
  }

  /** What entry {@code named} is on this owner's copy of the ledger, for a refusal's explanation. */
  private String describe(AuthorisationEntry named) {
    long size = ledger.size();
    if (named.index() >= size) return "an entry " + owner.org() + "'s copy of the ledger (" + size + " entries) does not hold";
    LedgerEntry there = ledger.entries(named.index(), named.index() + 1).get(0);
    String what = there.event().event() instanceof AuditEvent.JobAuthorized a ? "the JOB_AUTHORIZED of job " + a.jobId()
        : "a " + there.event().event().type() + " entry";
    return there.leafHash().equals(named.leafHash()) ? "which is " + what
        : "whose leaf hash differs from " + owner.org() + "'s copy (there, " + what + "): the worker was shown another ledger";
  }

  private VerifiedAttestation checkAttestation(KeyReleaseRequest request, AuthorisationEntry anchor, Policy policy, String what) {
    VerifiedAttestation attestation;
    try {
      attestation = verifier.verifyNonceBound(request.evidence(),
          KeyReleaseRequest.reportData(request.job(), request.dataset(), request.enclaveKey(), anchor));
    } catch (AttestationException e) {
      throw new KeyReleaseRefusedException(Reason.ATTESTATION_INVALID, owner.org() + " refuses the " + what + ": " + e.getMessage(), e);
    }
    if (attestation.simulated() && !policy.tee().allowSimulated()) {
      throw new KeyReleaseRefusedException(Reason.SIMULATION_NOT_ALLOWED,
          owner.org() + " refuses the " + what + ": the enclave is SIMULATED (provider '" + attestation.provider() + "') and " + policy
              + " does not allow simulation; run the job on confidential-computing hardware or ask the owner to allow simulation");
    }
    if (!policy.allowsMeasurement(attestation.measurement(), attestation.simulated())) {
      throw new KeyReleaseRefusedException(Reason.MEASUREMENT_NOT_ALLOWED,
          owner.org() + " refuses the " + what + ": measurement " + attestation.measurement().hex() + " is not on the allow-list of "
              + policy + " (or the policy does not allow the tee engine); ask the owner to allow-list this worker build");
    }

    return attestation;
  }

  /**
   * Records {@code refused} on the ledger, signed by the owner (callers do so only once the ledger is known to hold the
   * job's submission using the dataset, and the job has not ended), and returns it to be thrown: the refusal is the owner's statement, not only the coordinator's account of a failure.
   */
  private KeyReleaseRefusedException recorded(io.covenant.core.id.JobId jobId, DatasetVersion dataset, KeyReleaseRefusedException refused) {
    record(new AuditEvent.KeyReleaseRefused(jobId, dataset, KeyReleaseRefusedException.wireName(refused.reason()), refused.getMessage()));
    return refused;
  }

  private void record(AuditEvent event) {
    ledger.append(SignedEvent.sign(event, owner.org(), owner.signingKey(), clock.instant()));
  }

  @Override
  public String toString() {
    return "OwnerKeyService[" + owner.org() + "]";
  }
}
