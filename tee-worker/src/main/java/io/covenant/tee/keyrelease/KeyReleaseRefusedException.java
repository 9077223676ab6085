package io.covenant.tee.keyrelease;

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
    /** The owner has no current policy for the dataset. */
    NO_POLICY,
    /** The attestation evidence did not verify or is bound to another request. */
    ATTESTATION_INVALID,
    /** The evidence is simulated and the owner's policy does not accept simulation. */
    SIMULATION_NOT_ALLOWED,
    /** The measured code is not on the policy's allow-list. */
    MEASUREMENT_NOT_ALLOWED,
    /** The owner holds no wrapped key for the dataset version. */
    NO_KEY
  }

  private final Reason reason;

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
