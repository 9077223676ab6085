package io.covenant.coordinator.http;

import io.covenant.core.error.CovenantException;

/** A path that names a job, dataset or policy this coordinator does not know: answered with 404. */
final class UnknownResourceException extends CovenantException {
  UnknownResourceException(String message) {
    super(message);
  }
}
