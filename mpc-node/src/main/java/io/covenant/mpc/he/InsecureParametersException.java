package io.covenant.mpc.he;

import io.covenant.core.error.MalformedInputException;

/** Encryption parameters that are not 128-bit secure under the HomomorphicEncryption.org standard, or not well formed. */
public final class InsecureParametersException extends MalformedInputException {
  public InsecureParametersException(String message) {
    super(message);
  }
}
