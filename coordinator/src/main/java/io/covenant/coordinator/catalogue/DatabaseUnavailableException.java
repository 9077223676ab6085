package io.covenant.coordinator.catalogue;

import io.covenant.core.error.CovenantException;

/**
 * The coordinator's database could not be reached or refused the login: nothing was read or written. The message names
 * the server (host and port), the database and the user, and what to check.
 */
public final class DatabaseUnavailableException extends CovenantException {
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
