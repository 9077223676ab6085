package io.covenant.coordinator.job;

import io.covenant.core.error.CovenantException;

/** A submission that cannot even be recorded: unsigned, signed by someone else, or not matching its request. */
public class SubmissionRejectedException extends CovenantException {
  public SubmissionRejectedException(String message) {
    super(message);
  }
}
