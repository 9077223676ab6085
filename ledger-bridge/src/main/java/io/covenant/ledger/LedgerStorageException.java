package io.covenant.ledger;

import io.covenant.core.error.CovenantException;

/** The ledger's files could not be read or written, or the ledger is closed or opened with the wrong key. */
public class LedgerStorageException extends CovenantException {
  public LedgerStorageException(String message) {
    super(message);
  }

  public LedgerStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
