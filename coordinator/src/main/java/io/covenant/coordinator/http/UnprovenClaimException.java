package io.covenant.coordinator.http;

import io.covenant.core.error.CovenantException;

/**
 * A request the ledger does not bear out: the catalogue was asked to record something its owner never signed (or
 * signed otherwise), or the ledger refused the event. The message names what the ledger holds and what to do; 422.
 */
final class UnprovenClaimException extends CovenantException {
  UnprovenClaimException(String message) {
    super(message);
  }
}
