package io.covenant.node.partyjob;

import io.covenant.core.error.CovenantException;

/** A node will not take its seat in a multi-party job, and why (the job, committee or policies do not match the ledger). */
public final class PartyJobRefusedException extends CovenantException {
  public PartyJobRefusedException(String message) {
    super(message);
  }
}
