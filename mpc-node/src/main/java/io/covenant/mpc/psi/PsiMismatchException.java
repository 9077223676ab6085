package io.covenant.mpc.psi;

import io.covenant.core.error.CovenantException;

/** The two parties were not started for the same PSI run (another job, protocol, id rule or delivery, or the same role). */
public final class PsiMismatchException extends CovenantException {
  public PsiMismatchException(String message) {
    super(message);
  }
}
