package io.covenant.core.keyrelease;

import io.covenant.core.error.CovenantException;

/** A data owner refused to release a dataset key. {@link #reason()} says which rule refused it; the message explains. */
public class KeyReleaseRefusedException extends CovenantException {
  /** Which of the owner's conditions was not met. */
  public enum Reason {
    /** The dataset belongs to another organisation. */
    NOT_OWNER,
    /** The ledger holds no authorisation for this job and dataset under the owner's current policy. */
    NOT_AUTHORIZED,
    /** The job already has a result or has failed; its keys are no longer released. */
    JOB_FINISHED,
    /** The bound policy is not in force now (outside its validity window). */
    NO_POLICY,
    /** The bound policy is not one the owner published for the dataset (not in its records, or not on the ledger). */
    POLICY_NOT_PUBLISHED,
    /** The owner revoked the bound policy. */
    POLICY_REVOKED,
    /** The owner has published a newer policy for the dataset since. */
    POLICY_SUPERSEDED,
    /** The authorisation records no debit, or less than one use and the policy's epsilon per query. */
    DEBIT_UNDERSTATED,
    /** The ledger's authorisations under the policy, this one included, exceed its maxUses. */
    USES_EXHAUSTED,
    /** The consumer's epsilon under the policy, this job included, exceeds its privacy budget. */
    BUDGET_EXHAUSTED,
    /** The attestation evidence did not verify or is bound to another request. */
    ATTESTATION_INVALID,
    /** The evidence is simulated and the owner's policy does not accept simulation. */
    SIMULATION_NOT_ALLOWED,
    /** The measured code is not on the policy's allow-list. */
    MEASUREMENT_NOT_ALLOWED,
    /** The owner holds no wrapped key for the dataset version. */
    NO_KEY,
    /** The policy does not allow the engine the job was submitted for (e.g. an mpc job under a TEE-only policy). */
    ENGINE_NOT_ALLOWED,
    /** The request names no JOB_AUTHORIZED entry to bind its evidence's nonce to (a worker built before nonce-bound freshness). */
    NONCE_MISSING,
    /**
     * The evidence, or the request, carries a nonce other than the one of this job's JOB_AUTHORIZED on the owner's
     * copy of the ledger and this enclave key: evidence replayed from an earlier job, made for another job's
     * authorisation, or shown another ledger.
     */
    STALE_NONCE,
    /**
     * The ledger has grown past the owner's freshness window ({@code tee.freshnessEntries}) since the job's
     * JOB_AUTHORIZED: measured in entries on the owner's copy of the ledger, never by a clock.
     */
    AUTHORISATION_EXPIRED,
    /** The policy requires a malicious-secure multi-party job ({@code mpc.security: malicious}) and the job runs semi-honest. */
    SECURITY_TOO_WEAK
  }

  private final Reason reason;

  /** The rule's name as the ledger records it in KEY_RELEASE_REFUSED, e.g. {@code uses-exhausted}. */
  public static String wireName(Reason reason) {
    return reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public KeyReleaseRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KeyReleaseRefusedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
