package io.covenant.tee.compute;

import io.covenant.core.error.CovenantException;

/**
 * The consumer's query failed inside the enclave after the owners' keys were released and their data loaded. Every
 * such failure carries the same message and no cause: whether a query fails on the data, and why, could depend on a
 * single record (a conversion that overflows only for a 101-year-old), so the failure itself must not say more than
 * "it failed". The coordinator records it as {@code JOB_FAILED} and the use and its privacy budget stay spent, exactly
 * as for a result: the outcome channel a consumer sees is the same whether the failure came from the data or not.
 *
 * <p>Queries are checked before any key is released (policy analysis, the enclave's own checks, and binding against
 * the published schemas), so a query that is wrong in itself is refused with a descriptive {@link
 * QueryRefusedException} instead.
 */
public final class ComputationFailedException extends CovenantException {
  /** The one message every failure after key release carries. */
  public static final String MESSAGE = "the computation failed inside the enclave after the data keys were released; the reason is "
      + "withheld because it could depend on the data. The use and its privacy budget are spent as for a result";

  public ComputationFailedException() {
    super(MESSAGE);
  }
}
