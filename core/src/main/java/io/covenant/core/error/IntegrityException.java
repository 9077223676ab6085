package io.covenant.core.error;

/** Bytes that fail authentication: a tampered block, a forged signature, a wrong key. */
public class IntegrityException extends CovenantException {
  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
