package io.covenant.ledger.witness;

import io.covenant.core.error.IntegrityException;

/** A witness would not cosign a checkpoint; {@link #reason()} says which check failed, the message says what it saw. */
public final class WitnessRefusedException extends IntegrityException {

  /** Why a witness refuses, as the C2SP tlog-witness add-checkpoint endpoint distinguishes them. */
  public enum Reason {
    /** The checkpoint is not signed by the log key this witness follows, or its signature does not verify. */
    NOT_THE_LOG,
    /** The checkpoint covers fewer entries than one the witness already cosigned: the log was rolled back. */
    ROLLBACK,
    /** The checkpoint is not an append-only extension of the one the witness cosigned: the log was rewritten. */
    FORK,
    /** The consistency proof starts from a size other than the witness's latest (tlog-witness answers 409 Conflict). */
    CONFLICT
  }

  private final Reason reason;

  public WitnessRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
