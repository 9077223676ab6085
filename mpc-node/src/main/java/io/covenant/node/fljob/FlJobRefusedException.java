package io.covenant.node.fljob;

import io.covenant.core.error.CovenantException;

/** A hospital's node will not take part in a federated job, and why (the job, roster or policies do not match the ledger). */
public final class FlJobRefusedException extends io.covenant.node.partyjob.PartyJobRefusedException {
  public FlJobRefusedException(String message) {
    super(message);
  }
}
