package io.covenant.mpc.sql;

import io.covenant.core.error.CovenantException;

/**
 * A query the multi-party engine will not run, with the reason. Nothing outside the supported subset is ever run in
 * the clear instead: the job fails with this message, and the analyst can rewrite the query or use the TEE engine.
 */
public final class MpcQueryRefusedException extends CovenantException {
  public MpcQueryRefusedException(String message) {
    super(message);
  }
}
