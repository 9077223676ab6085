package io.covenant.tee.training;

import io.covenant.core.error.CovenantException;

/** A model could not be trained from the given table and specification; the message names why, never a value. */
public final class TrainingFailedException extends CovenantException {
  public TrainingFailedException(String message) {
    super(message);
  }
}
