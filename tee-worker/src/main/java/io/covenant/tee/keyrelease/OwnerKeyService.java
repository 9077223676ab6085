package io.covenant.tee.keyrelease;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.crypto.WrappedKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.policy.Policy;
import io.covenant.tee.attestation.AttestationException;
import io.covenant.tee.attestation.AttestationVerifier;
import io.covenant.tee.attestation.VerifiedAttestation;
import io.covenant.tee.keyrelease.KeyReleaseRefusedException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The data owner's key service: releases a dataset key to an attested enclave, and only when every condition
 * holds:
 *
 * <ol>
 *   <li>the dataset belongs to this owner;
 *   <li>the owner has a current policy for it, in force now;
 *   <li>the ledger holds the job's JOB_SUBMITTED for the tee engine and a JOB_AUTHORIZED that binds this dataset
 *       version to the hash of that current policy (a job authorised under a policy since replaced gets nothing),
 *       with no JOB_DENIED, RESULT_COMMITTED or JOB_FAILED for the job;
 *   <li>the attestation evidence verifies and carries the report data of this request, which binds it to the job, the
 *       dataset and the enclave key the released key will be sealed to;
 *   <li>the policy accepts the measurement, and simulation only if it allows simulation.
 * </ol>
 *
 * Then it records ATTESTATION_VERIFIED and KEY_RELEASED, signed by the owner and naming the measurement and the
 * simulation flag, and returns the data key (unwrapped from the owner's KEK, context the dataset version) sealed
 * with HPKE to the enclave key. The key is unwrapped and sealed before anything is recorded, so a failure never
 * leaves a KEY_RELEASED for a key that was not released; a refusal releases nothing and records nothing.
 */
public final class OwnerKeyService implements KeyService {
  private final OrgCredentials owner;
  private final KeyEncryptionKey kek;
  private final Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys;
  private final Function<DatasetId, Optional<Policy>> currentPolicy;
  private final Ledger ledger;
  private final AttestationVerifier verifier;
  private final Clock clock;
  private final OrgId authoriser;

  /**
   * @param authoriser the one organisation (the coordinator's operator) whose JOB_AUTHORIZED this owner accepts; any
   *     other organisation could otherwise authorise its own jobs on a shared ledger
   */
  public OwnerKeyService(
      OrgCredentials owner,
      OrgId authoriser,
      KeyEncryptionKey kek,
      Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys,
      Function<DatasetId, Optional<Policy>> currentPolicy,
      Ledger ledger,
      AttestationVerifier verifier,
      Clock clock) {
    if (owner == null || authoriser == null || kek == null || wrappedKeys == null || currentPolicy == null || ledger == null || verifier == null || clock == null) {
      throw new MalformedInputException("an owner key service needs the owner's credentials, the trusted authoriser, KEK, wrapped keys, policies, ledger, verifier and clock");
    }
    this.owner = owner;
    this.authoriser = authoriser;
    this.kek = kek;
    this.wrappedKeys = wrappedKeys;
    this.currentPolicy = currentPolicy;
    this.ledger = ledger;
    this.verifier = verifier;
    this.clock = clock;
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
    Instant now = clock.instant();
    Policy policy = currentPolicy.apply(dataset.dataset())
        .filter(p -> p.dataset().equals(dataset.dataset()))
        .orElseThrow(() -> new KeyReleaseRefusedException(Reason.NO_POLICY,
            owner.org() + " refuses the " + what + ": there is no current policy for " + dataset.dataset() + " (none published, or revoked)"));
    if (!policy.isValidAt(now)) {
      throw new KeyReleaseRefusedException(Reason.NO_POLICY,
          owner.org() + " refuses the " + what + ": " + policy + " is not in force at " + now);
    }
    checkLedger(request, policy, what);

    VerifiedAttestation attestation;
    try {
      attestation = verifier.verify(request.evidence(), request.expectedReportData());
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
        sealed = request.seal(key, subjects);
      } finally {
        subjects.destroy();
      }
    } finally {
      key.destroy();
    }

    record(new AuditEvent.AttestationVerified(
        request.job(), attestation.measurement(), attestation.provider(), attestation.simulated(), attestation.evidenceHash()));
    record(new AuditEvent.KeyReleased(
        request.job(), dataset, attestation.measurement(), attestation.simulated(), request.enclaveKey().fingerprint()));
    return sealed;
  }

  private void checkLedger(KeyReleaseRequest request, Policy policy, String what) {
    boolean submittedForTee = false;
    boolean authorised = false;
    Optional<String> otherPolicy = Optional.empty();
    for (LedgerEntry entry : ledger.entriesForJob(request.job())) {
      switch (entry.event().event()) {
        case AuditEvent.JobSubmitted s -> submittedForTee = s.engine() == Engine.TEE && s.datasets().contains(request.dataset());
        case AuditEvent.JobAuthorized a -> {
          if (!entry.event().actor().equals(authoriser)) {
            throw new KeyReleaseRefusedException(Reason.NOT_AUTHORIZED, owner.org() + " refuses the " + what + ": the job was authorised by "
                + entry.event().actor() + " (entry " + entry.index() + "), but this owner accepts authorisations only from " + authoriser);
          }
          for (AuditEvent.PolicyBinding b : a.policies()) {
            if (!b.dataset().equals(request.dataset())) continue;
            if (b.policyHash().equals(policy.hash())) authorised = true;
            else otherPolicy = Optional.of(b.policyHash().shortForm());
          }
        }
        case AuditEvent.JobDenied d -> throw new KeyReleaseRefusedException(Reason.NOT_AUTHORIZED,
            owner.org() + " refuses the " + what + ": the ledger records JOB_DENIED for the job (entry " + entry.index() + ")");
        case AuditEvent.ResultCommitted r -> throw new KeyReleaseRefusedException(Reason.JOB_FINISHED,
            owner.org() + " refuses the " + what + ": the job already committed its result (entry " + entry.index() + "); keys are released only while a job runs");
        case AuditEvent.JobFailed f -> throw new KeyReleaseRefusedException(Reason.JOB_FINISHED,
            owner.org() + " refuses the " + what + ": the job already failed (entry " + entry.index() + "); submit a new job");
        default -> { }
      }
    }
    if (!submittedForTee) {
      throw new KeyReleaseRefusedException(Reason.NOT_AUTHORIZED,
          owner.org() + " refuses the " + what + ": the ledger has no JOB_SUBMITTED of this job for the tee engine using " + request.dataset());
    }
    if (!authorised) {
      throw new KeyReleaseRefusedException(Reason.NOT_AUTHORIZED, owner.org() + " refuses the " + what + ": " + otherPolicy
          .map(h -> "the job was authorised under policy " + h + "…, but the owner's current policy is " + policy + "; submit the job again")
          .orElse("the ledger holds no JOB_AUTHORIZED binding " + request.dataset() + " to the owner's current " + policy));
    }
  }

  private void record(AuditEvent event) {
    ledger.append(SignedEvent.sign(event, owner.org(), owner.signingKey(), clock.instant()));
  }

  @Override
  public String toString() {
    return "OwnerKeyService[" + owner.org() + "]";
  }
}
