package io.covenant.mpc.he;

import io.covenant.core.error.MalformedInputException;

/**
 * SEAL (or the engine in front of it) refused an operation: bytes that are not a SEAL object for these parameters, a
 * handle from another context, too many values for the slots, a ciphertext at the wrong level. The sidecar itself is
 * fine and the next operation may proceed.
 */
public final class HeRefusedException extends MalformedInputException {
  public HeRefusedException(String message) {
    super(message);
  }
}
