package io.covenant.coordinator.http;

import io.covenant.core.error.CovenantException;

/** A request without a consortium member's certificate, where the API is served over mutual TLS; 401. */
final class CallerUnauthenticatedException extends CovenantException {
  CallerUnauthenticatedException(String message) {
    super(message);
  }
}
