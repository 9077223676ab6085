package io.covenant.tee.compute;

import io.covenant.core.error.CovenantException;

/**
 * The output controls withheld the whole result: for a model training, the training table had fewer rows than the
 * minimum cohort of the inputs' policies. The message says only that, as a suppressed group says only that it was
 * small; the use stays spent.
 */
public final class OutputControlException extends CovenantException {
  public OutputControlException(String message) {
    super(message);
  }
}
