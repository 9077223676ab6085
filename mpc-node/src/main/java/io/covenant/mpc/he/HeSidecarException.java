package io.covenant.mpc.he;

import io.covenant.core.error.CovenantException;

/**
 * The SEAL sidecar could not be installed, started, or reached, died, or did not answer in time. The message names the
 * sidecar (its owner and process id) and what to do next; the operation that was running has failed and no partial
 * result exists. The owner restarts the sidecar ({@link SealSidecar#restart()}) and runs the job again.
 */
public final class HeSidecarException extends CovenantException {
  public HeSidecarException(String message) {
    super(message);
  }

  public HeSidecarException(String message, Throwable cause) {
    super(message, cause);
  }
}
