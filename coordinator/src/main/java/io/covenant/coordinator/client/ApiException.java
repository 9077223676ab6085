package io.covenant.coordinator.client;

import io.covenant.core.error.CovenantException;

/** The coordinator answered with an error: its HTTP status and its {@code {"error": ...}} message, as given. */
public final class ApiException extends CovenantException {
  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
