package io.covenant.coordinator.http;

import io.covenant.core.error.CovenantException;

/**
 * An authenticated caller asked for what its organisation may not do or see: another organisation's action, job or
 * result, or an action its roles do not include. The message names the caller and who may; 403.
 */
final class CallerForbiddenException extends CovenantException {
  CallerForbiddenException(String message) {
    super(message);
  }
}
