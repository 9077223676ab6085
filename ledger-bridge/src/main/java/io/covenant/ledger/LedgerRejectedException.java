package io.covenant.ledger;

import io.covenant.core.error.CovenantException;

/** The ledger refused an event: its signature does not verify, or its actor may not record it. Nothing was written. */
public class LedgerRejectedException extends CovenantException {
  public LedgerRejectedException(String message) {
    super(message);
  }
}
