package io.covenant.node.partyjob;

import io.covenant.core.error.CovenantException;

/**
 * A node will not take its part in a job the operator schedules at the organisations' nodes (a multi-party seat, or a
 * subclass's engine), and why: the job, committee or policies do not match the ledger.
 */
public class PartyJobRefusedException extends CovenantException {
  public PartyJobRefusedException(String message) {
    super(message);
  }
}
