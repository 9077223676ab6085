package io.covenant.storage.blockstore;

import io.covenant.core.error.CovenantException;

/** A block store was asked to keep blocks of a crypto suite it cannot address (sm3-256 CIDs on an IPFS node). */
public final class UnsupportedSuiteException extends CovenantException {
  public UnsupportedSuiteException(String message) {
    super(message);
  }
}
